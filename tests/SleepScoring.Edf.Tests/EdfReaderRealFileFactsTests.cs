using SleepScoring.Tests.Common;

namespace SleepScoring.Edf.Tests;

/// <summary>
/// Facts about the real sample files that come from outside our reader: the sources' own tests
/// (pyedflib, MNE), the generator programs that wrote them, the data README, features computed
/// by another implementation, and the raw TAL bytes read with strings/tr.
/// </summary>
public class EdfReaderRealFileFactsTests
{
    [SkippableFact]
    public void SleepEdfCrop_HasSevenSignalsAtTheDocumentedRates()
    {
        // ../shared/data/README.md: 7 signals, Fpz-Cz, Pz-Oz, EOG at 100 Hz, four 1-Hz channels, 30-s records, 5 minutes.
        using EdfReader reader = EdfReader.Open(SharedData.Require(SampleFiles.SleepEdfCrop));

        Assert.Equal(EdfFileType.Edf, reader.Header.FileType);
        Assert.Equal(10, reader.Header.RecordCount);
        Assert.Equal(30, reader.Header.RecordDuration);
        Assert.Equal(300, reader.Header.Duration);
        Assert.Equal(new DateTime(1989, 4, 24, 16, 13, 0), reader.Header.StartTime);
        Assert.Equal(
            ["EEG Fpz-Cz", "EEG Pz-Oz", "EOG horizontal", "Resp oro-nasal", "EMG submental", "Temp rectal", "Event marker"],
            reader.Signals.Select(s => s.Label));
        Assert.Equal([100.0, 100, 100, 1, 1, 1, 1], reader.Signals.Select(s => s.SamplingRate));
        Assert.Equal([30000L, 30000, 30000, 300, 300, 300, 300], reader.Signals.Select(s => s.SampleCount));
        Assert.Empty(reader.Warnings);
    }

    [SkippableFact]
    public void SleepEdfCrop_FirstEpochVariance_MatchesTheIndependentlyComputedFeatures()
    {
        // sleep-edf-features/SC4001E0.csv row 0 (computed by another project with numpy from the same raw
        // signals; README: "recomputing the features from a real 5-minute crop of SC4001E0 matches rows 0-9"):
        // fpz_cz_variance 1322.24 µV², pz_oz_variance 52.815 µV².
        using EdfReader reader = EdfReader.Open(SharedData.Require(SampleFiles.SleepEdfCrop));

        Assert.Equal(1322.24, Variance(reader, 0), 1322.24 * 1e-3);
        Assert.Equal(52.815, Variance(reader, 1), 52.815 * 1e-3);
    }

    [SkippableFact]
    public void Hypnogram_AnnotationsMatchTheRawTals()
    {
        // Truth from the raw bytes: `tail -c +513 SC4001EC-Hypnogram.edf | tr '\024\025\000' '|~\n'` lists 154
        // TALs after the time-keeping "+0||": first "+0~30630|Sleep stage W|", then "+30630~120|Sleep stage 1|",
        // last "+79500~6900|Sleep stage ?|"; label counts W 12, 1 24, 2 40, 3 48, 4 23, R 6, ? 1.
        using EdfReader reader = EdfReader.Open(SharedData.Require(SampleFiles.Hypnogram));

        IReadOnlyList<EdfAnnotation> annotations = reader.ReadAnnotations();

        Assert.Equal(EdfFileType.EdfPlusC, reader.Header.FileType);
        Assert.Equal(0, reader.Header.RecordDuration);
        Assert.Equal(154, annotations.Count);
        Assert.Equal(new EdfAnnotation(0, 30630, "Sleep stage W"), annotations[0]);
        Assert.Equal(new EdfAnnotation(30630, 120, "Sleep stage 1"), annotations[1]);
        Assert.Equal(new EdfAnnotation(79500, 6900, "Sleep stage ?"), annotations[^1]);
        Dictionary<string, int> counts = annotations.GroupBy(a => a.Text).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(12, counts["Sleep stage W"]);
        Assert.Equal(24, counts["Sleep stage 1"]);
        Assert.Equal(40, counts["Sleep stage 2"]);
        Assert.Equal(48, counts["Sleep stage 3"]);
        Assert.Equal(23, counts["Sleep stage 4"]);
        Assert.Equal(6, counts["Sleep stage R"]);
        Assert.Equal(1, counts["Sleep stage ?"]);

        // One annotation per run of epochs: the runs tile the night without overlap (each starts where the last ended).
        for (int i = 1; i < annotations.Count; i++)
        {
            Assert.Equal(annotations[i - 1].Onset + annotations[i - 1].Duration!.Value, annotations[i].Onset);
        }
    }

    [SkippableFact]
    public void DiscontinuousFile_RecordOnsetsComeFromTheTimeKeepingTals()
    {
        // `strings -t d MB0400FU.EDF` shows the time-keeping TALs +0.000000 … +28.000000, one per 1-s record:
        // EDF+D, but without gaps. The raw TALs also hold "Segment: REC START ALLE EEG" at +0 and "A1+A2 OFF" at +1.14.
        using EdfReader reader = EdfReader.Open(SharedData.Require(SampleFiles.Discontinuous));

        Assert.Equal(EdfFileType.EdfPlusD, reader.Header.FileType);
        Assert.Equal(29, reader.Header.RecordCount);
        Assert.Equal(Enumerable.Range(0, 29).Select(i => (double)i), reader.RecordOnsets);
        Assert.Empty(reader.Gaps);
        Assert.Equal(
            [new EdfAnnotation(0, null, "Segment: REC START ALLE EEG"), new EdfAnnotation(1.14, null, "A1+A2 OFF")],
            reader.ReadAnnotations());

        // This recorder omits the 0x00 after each time-keeping TAL: tolerated, and said so.
        Assert.Contains(reader.Warnings, w => w.Code == EdfWarningCodes.TalTerminatorMissing);
    }

    [SkippableFact]
    public void DiscontinuousFile_WithShiftedRecords_ExposesTheGap()
    {
        // Rewrite the time-keeping TALs of records 20..28 from "+2d.000000" to "+3d.000000" (same length):
        // the records then start at 30..38 s, leaving a 10-s gap after record 19 (which ends at 20 s).
        byte[] bytes = File.ReadAllBytes(SharedData.Require(SampleFiles.Discontinuous));
        using EdfReader original = EdfReader.Open(new MemoryStream(bytes));
        EdfSignal keeper = original.Signals.First(s => s.IsAnnotation);
        long recordBytes = original.Signals.Sum(s => (long)s.SamplesPerRecord) * 2;
        for (int r = 20; r < 29; r++)
        {
            long at = original.Header.HeaderBytes + (r * recordBytes) + (original.Signals.TakeWhile(s => s != keeper).Sum(s => (long)s.SamplesPerRecord) * 2);
            Assert.Equal((byte)'2', bytes[at + 1]);
            bytes[at + 1] = (byte)'3';
        }

        using EdfReader reader = EdfReader.Open(new MemoryStream(bytes));

        Assert.Equal(30.0, reader.RecordOnsets[20]);
        Assert.Equal([new EdfGap(20, 10)], reader.Gaps);
        Assert.Equal(39, reader.Header.Duration);

        // By time range: 18 s to 32 s holds records 18, 19 (before the gap) and 30, 31 (after it).
        int rate = (int)reader.Signals[0].SamplingRate;
        float[] window = reader.ReadPhysical(0, TimeSpan.FromSeconds(18), TimeSpan.FromSeconds(14));
        Assert.Equal(4 * rate, window.Length);
        float[] all = reader.ReadPhysical(0);
        Assert.Equal(all.AsSpan(18 * rate, 2 * rate).ToArray(), window[..(2 * rate)]);
        Assert.Equal(all.AsSpan(20 * rate, 2 * rate).ToArray(), window[(2 * rate)..]);
    }

    [SkippableFact]
    public void Generator_HeaderAndSignals_MatchPyedflibsOwnTests()
    {
        // pyedflib/tests/test_edfreader.py: 11 signals at 200 Hz with 120000 samples, 600 records, start
        // 2011-04-04 12:57:02, patient code abcxyz99, name "Hans Muller", male, born 30 jun 1969, additional
        // "patient", admin code "Dr. X", technician "Mr. Spotty", recording additional "unit test file",
        // label 0 "squarewave" (uV, prefilter "pre1", transducer "trans1"), annotations at 0 and 600 s.
        using EdfReader reader = EdfReader.Open(SharedData.Require(SampleFiles.Generator));
        EdfHeader h = reader.Header;

        Assert.Equal(new DateTime(2011, 4, 4, 12, 57, 2), h.StartTime);
        Assert.Equal(600, h.RecordCount);
        Assert.Equal(new EdfPatient { Code = "abcxyz99", Sex = "M", BirthDate = new DateOnly(1969, 6, 30), Name = "Hans Muller", Additional = "patient" }, h.Patient);
        Assert.Equal("Dr. X", h.Recording!.AdminCode);
        Assert.Equal("Mr. Spotty", h.Recording.Technician);
        Assert.Equal("unit test file", h.Recording.Additional);
        EdfSignal[] ordinary = [.. reader.Signals.Where(s => !s.IsAnnotation)];
        Assert.Equal(11, ordinary.Length);
        Assert.All(ordinary, s => Assert.Equal(200, s.SamplingRate));
        Assert.All(ordinary, s => Assert.Equal(120000, s.SampleCount));
        Assert.Equal(("squarewave", "uV", "pre1", "trans1"), (ordinary[0].Label, ordinary[0].PhysicalDimension, ordinary[0].Prefiltering, ordinary[0].TransducerType));
        Assert.Equal(["Recording starts", "Recording ends"], reader.ReadAnnotations().Select(a => a.Text));
        Assert.Equal([0.0, 600.0], reader.ReadAnnotations().Select(a => a.Onset));
    }

    [SkippableFact]
    public void Generator_Waveforms_MatchEdflibsTestGenerator()
    {
        // EDFlib's test_generator.c (T. van Beelen): squarewave ±100 µV at 0.1 Hz (+100 in seconds 0-4 of
        // every 10); ramp -100 + i·(200/200) µV for sample i of each second; sine 1 Hz = 100·sin(2π(n+1)/200).
        // One digital step is 2000/65535 = 0.0305 µV; edflib truncates (not rounds) physical → digital, so a
        // value may sit one step off, plus float rounding: agree within two steps.
        using EdfReader reader = EdfReader.Open(SharedData.Require(SampleFiles.Generator));
        const double Step = 2 * 2000.0 / 65535;

        float[] square = reader.ReadPhysical(0);
        float[] ramp = reader.ReadPhysical(1);
        float[] sine1 = reader.ReadPhysical(4);
        for (int n = 0; n < 2000; n++)
        {
            Assert.Equal((n / 200) % 10 < 5 ? 100 : -100, square[n], Step);
            Assert.Equal(-100 + (n % 200), ramp[n], Step);
            Assert.Equal(100 * Math.Sin(2 * Math.PI * (n + 1) / 200), sine1[n], Step);
        }

        // sine 8.5 Hz: 100 µV amplitude, 2 × 8.5 sign changes per second over the 600 s.
        float[] sine85 = reader.ReadPhysical(7);
        Assert.Equal(100, sine85.Max(), 0.5);
        Assert.Equal(-100, sine85.Min(), 0.5);
        int crossings = Enumerable.Range(1, sine85.Length - 1).Count(i => Math.Sign(sine85[i]) != Math.Sign(sine85[i - 1]) && sine85[i] != 0);
        Assert.InRange(crossings, (2 * 8.5 * 600) - 2, (2 * 8.5 * 600) + 2);
    }

    [SkippableFact]
    public void SubsecondStart_AnnotationOnsets_MatchMne()
    {
        // MNE test_edf_annot_sub_s_onset: onsets [1.951172, 3.492188]. Raw first TAL: "+0.3945312\x14\x14\0",
        // so the recording starts 0.3945312 s after the header's 04.05.56.
        using EdfReader reader = EdfReader.Open(SharedData.Require(SampleFiles.SubsecondMne));

        Assert.Equal(new DateTime(2020, 1, 24, 4, 5, 56).AddTicks(3_945_312), reader.Header.StartTime);
        Assert.Equal([1.951172, 3.492188], reader.ReadAnnotations().Select(a => Math.Round(a.Onset, 6)));
    }

    [SkippableFact]
    public void Utf8Annotations_MatchMne()
    {
        // MNE test_read_utf8_annotations: annotation 0 "RECORD START", annotation 1 "仰卧".
        using EdfReader reader = EdfReader.Open(SharedData.Require(SampleFiles.Utf8Mne));

        Assert.Equal(["RECORD START", "仰卧"], reader.ReadAnnotations().Take(2).Select(a => a.Text));
    }

    [SkippableFact]
    public void SeveralAnnotationSignals_AreMergedInOnsetOrder_AsMneReadsThem()
    {
        // MNE test_bdf_multiple_annotation_channels: 10 annotations with these descriptions, in this order.
        using EdfReader reader = EdfReader.Open(SharedData.Require("edf-samples/mne-testing-data/multiple_annotation_chans.bdf"));

        Assert.True(reader.Signals.Count(s => s.IsAnnotation) > 1);
        Assert.Equal(
            ["signal_start", "EEG-check#1", "TestStim#1", "TestStim#2", "TestStim#3", "TestStim#4", "TestStim#5", "TestStim#6", "TestStim#7", "Ligths-Off#1"],
            reader.ReadAnnotations().Select(a => a.Text));
    }

    [SkippableFact]
    public void WfdbGenerator_LabelsAndEvents_MatchMne()
    {
        // MNE test_load_generator: 11 × 120000 samples, these channel names, events RECORD START at sample 0
        // and REC STOP at sample 120000 (200 Hz → 600 s).
        using EdfReader reader = EdfReader.Open(SharedData.Require("edf-samples/wfdb/test_generator_2.edf"));

        Assert.Equal(
            ["squarewave", "ramp", "pulse", "ECG", "noise", "sine 1 Hz", "sine 8 Hz", "sine 8.5 Hz", "sine 15 Hz", "sine 17 Hz", "sine 50 Hz"],
            reader.Signals.Where(s => !s.IsAnnotation).Select(s => s.Label));
        Assert.All(reader.Signals.Where(s => !s.IsAnnotation), s => Assert.Equal(120000, s.SampleCount));
        Assert.Equal([new EdfAnnotation(0, null, "RECORD START"), new EdfAnnotation(600, null, "REC STOP")], reader.ReadAnnotations());
    }

    [SkippableFact]
    public void OverlappingAnnotations_AreAllKept()
    {
        // Raw TALs (`tr '\024\025\000' '|~\n'`): 38 annotations alternating T0 (1.375 s) and T1/T2 (5.125 s),
        // starting "+0~1.375|T0|", "+1.375~5.125|T1|", "+6.5~1.375|T0|"; "+14.38~5.125|T1|" ends at 19.505 s,
        // after "+19.5~1.375|T0|" has begun.
        using EdfReader reader = EdfReader.Open(SharedData.Require("edf-samples/mne-testing-data/test_edf_overlapping_annotations.edf"));

        IReadOnlyList<EdfAnnotation> annotations = reader.ReadAnnotations();

        Assert.Equal(38, annotations.Count);
        Assert.Equal([new EdfAnnotation(0, 1.375, "T0"), new EdfAnnotation(1.375, 5.125, "T1"), new EdfAnnotation(6.5, 1.375, "T0")], annotations.Take(3));
        int t1 = annotations.ToList().IndexOf(new EdfAnnotation(14.38, 5.125, "T1"));
        Assert.Equal(new EdfAnnotation(19.5, 1.375, "T0"), annotations[t1 + 1]);
        Assert.True(annotations[t1].Onset + annotations[t1].Duration > annotations[t1 + 1].Onset);
    }

    [SkippableFact]
    public void UnevenSampling_AndStrayByte_AreToleratedWithWarnings()
    {
        // README: different sampling rates per signal and one stray trailing byte. The header's start date is
        // "42.00.00" (day 42, month 0): not a date.
        using EdfReader reader = EdfReader.Open(SharedData.Require(SampleFiles.UnevenSampling));

        Assert.NotEqual(reader.Signals[0].SamplingRate, reader.Signals[1].SamplingRate);
        Assert.Contains(reader.Warnings, w => w.Code == EdfWarningCodes.TrailingBytes);
        Assert.Contains(reader.Warnings, w => w.Code == EdfWarningCodes.StartDateInvalid);
    }

    private static double Variance(EdfReader reader, int signal)
    {
        float[] epoch = new float[3000];
        Assert.Equal(3000, reader.ReadPhysical(signal, 0, epoch));
        double mean = epoch.Average(v => (double)v);
        return epoch.Sum(v => (v - mean) * (v - mean)) / epoch.Length;
    }
}
