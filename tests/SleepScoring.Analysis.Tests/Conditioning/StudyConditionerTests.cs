using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Tests.Signals;
using SleepScoring.Edf;
using SleepScoring.Tests.Common;

namespace SleepScoring.Analysis.Tests.Conditioning;

/// <summary>Documented outcomes of <see cref="StudyConditioner"/>, including bad input.</summary>
public sealed class StudyConditionerTests
{
    [Fact]
    public void TwoMinuteStudy_GivesFourScoredEpochs_AndAShortRecordingWarning()
    {
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(StudyFiles.SleepEdfLike(), 120));
        ConditionedStudy study = new StudyConditioner().Condition(reader);

        Assert.Equal(4, study.Epochs.Count);
        Assert.Equal(4, study.ScorableEpochs);
        Assert.Contains(study.Warnings, w => w.Contains("shorter than a useful night", StringComparison.Ordinal));
        ConditionedDerivation fpz = study.For(DerivationRole.FrontalEeg)!;
        Assert.Equal(12000, fpz.Samples.Length);
        // 10 Hz, 20 µV passes resampling (none at 100 Hz) and the 0.3–35 Hz band-pass (gain ≈ 0.99999).
        Assert.InRange(ToneFit.Fit(fpz.Samples.ToArray().AsSpan(3000, 6000), 100, 10, 3000).Amplitude, 19.8, 20.2);
    }

    [Fact]
    public void EegCandidates_AreEachConditionedOnce_SharingTheChosenDerivationsSamples()
    {
        // An AASM montage at 256 Hz: F4-M1 and O2-M1 fill the slots; with candidates asked for,
        // C4-M1 is conditioned too (a 7 Hz, 30 µV tone: scaled to µV, resampled to 100 Hz and kept);
        // F3-M2 is not: its region is covered by F4-M1, and sensing would not try it.
        StudyFiles.Channel[] channels =
        [
            new("EEG F4-M1", 256, StudyFiles.Eeg), new("EEG F3-M2", 256, StudyFiles.Eeg), new("EEG C4-M1", 256, t => 30 * Math.Sin(2 * Math.PI * 7 * t)),
            new("EEG O2-M1", 256, StudyFiles.Eeg), new("EOG E1-M2", 256, t => 30 * Math.Sin(2 * Math.PI * 0.5 * t)),
        ];
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(channels, 120));

        ConditionedStudy plain = new StudyConditioner().Condition(reader);
        ConditionedStudy study = new StudyConditioner().Condition(reader, eegCandidates: true);

        Assert.Equal(["EEG F4-M1", "EEG O2-M1"], plain.EegCandidates.Select(c => c.Source.SignalLabel));
        Assert.Equal(["EEG F4-M1", "EEG O2-M1", "EEG C4-M1"], study.EegCandidates.Select(c => c.Source.SignalLabel));
        Assert.Same(study.For(DerivationRole.FrontalEeg)!.Samples, study.EegCandidates[0].Samples);
        Assert.Same(study.For(DerivationRole.PosteriorEeg)!.Samples, study.EegCandidates[1].Samples);
        Assert.Equal(plain.For(DerivationRole.FrontalEeg)!.Samples.ToArray(), study.EegCandidates[0].Samples.ToArray());
        float[] central = study.EegCandidates[2].Samples.ToArray();
        Assert.Equal(12000, central.Length);
        Assert.InRange(ToneFit.Fit(central.AsSpan(3000, 6000), 100, 7, 3000).Amplitude, 29.7, 30.3);
        Assert.Equal(ScalpRegion.Central, study.EegCandidates[2].Source.Region);
    }

    [Fact]
    public void OneCentralChannel_IsEnough()
    {
        using EdfReader reader = EdfReader.Open(StudyFiles.Write([new("EEG C3-A2", 200, StudyFiles.Eeg), new("ECG", 200, t => 500 * Math.Sin(t))], 90));

        ConditionedStudy study = new StudyConditioner().Condition(reader);

        Assert.Null(study.For(DerivationRole.FrontalEeg));
        Assert.Equal("C3-M2", study.For(DerivationRole.PosteriorEeg)!.Source.MatchedAlias);
        Assert.Equal(3, study.ScorableEpochs);
    }

    [Fact]
    public void StudyShorterThanOneEpoch_IsATypedError()
    {
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(StudyFiles.SleepEdfLike(), 20));
        StudyTooShortException e = Assert.Throws<StudyTooShortException>(() => new StudyConditioner().Condition(reader));
        Assert.Equal(20, e.DurationSeconds);
    }

    [Fact]
    public void StudyWithoutEeg_IsRejectedByTheMontage_ListingTheLabelsFound()
    {
        StudyFiles.Channel[] channels = [new("ECG II", 256, t => 500 * Math.Sin(t)), new("SpO2", 1, _ => 97, "%", 100), new("Resp chest", 32, Math.Sin)];
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(channels, 60));
        MontageException e = Assert.Throws<MontageException>(() => new StudyConditioner().Condition(reader));
        Assert.Contains("'ECG II' (256 Hz)", e.LabelsFound);
        Assert.Contains("Fpz-Cz", e.NamesAccepted);
    }

    [Fact]
    public void StudyWithOnlyOneHertzChannels_IsRejectedByTheMontage()
    {
        // EEG labels, but sampled at 1 Hz: nothing of the 0.5–30 Hz EEG survives, so no EEG can serve.
        StudyFiles.Channel[] channels = [new("EEG Fpz-Cz", 1, _ => 3), new("EEG Pz-Oz", 1, _ => 2), new("EMG submental", 1, _ => 1.5)];
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(channels, 120));
        MontageException e = Assert.Throws<MontageException>(() => new StudyConditioner().Condition(reader));
        Assert.Contains("'EEG Fpz-Cz' (1 Hz)", e.LabelsFound);
        Assert.Contains("50 Hz or more", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EdfPlusDGapInTheMiddle_MakesTheEpochsAcrossAndInsideItUnscorable()
    {
        // 10 records of 30 s; records 5–9 start 45 s late: data [0,150) and [195,345).
        // Epochs: 0–4 inside the first run; 5 = [150,180) in the gap; 6 = [180,210) crosses its end;
        // 7–10 inside the second run; [330,360) would end after the data, so 11 epochs in all.
        using MemoryStream plusC = StudyFiles.Write(StudyFiles.SleepEdfLike(256), 300);
        using EdfReader reader = EdfReader.Open(StudyFiles.WithGap(plusC, 5, 45));
        ConditionedStudy study = new StudyConditioner().Condition(reader);

        EpochExclusion[] expected =
        [
            .. Enumerable.Repeat(EpochExclusion.None, 5), EpochExclusion.InGap, EpochExclusion.CrossesGap,
            .. Enumerable.Repeat(EpochExclusion.None, 4),
        ];
        Assert.Equal(expected, study.Epochs.Select(e => e.Exclusion));
        Assert.Contains(study.Warnings, w => w.Contains("1 gap(s)", StringComparison.Ordinal));
        float[] fpz = study.For(DerivationRole.FrontalEeg)!.Samples.ToArray();
        Assert.All(fpz.AsSpan(15000, 4500).ToArray(), v => Assert.Equal(0f, v));
        // The second run is placed at 195 s and resampled 256 → 100 Hz: the 10 Hz tone is back in phase there.
        Assert.InRange(ToneFit.Fit(fpz.AsSpan(21000, 6000), 100, 10, 21000 - 19500).Amplitude, 19.8, 20.2);
    }

    [Fact]
    public void FlatEeg_MakesEpochsUnscorable_AndIsReported()
    {
        StudyFiles.Channel[] channels = [new("EEG Fpz-Cz", 100, _ => 0), new("EEG Pz-Oz", 100, _ => 0)];
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(channels, 90));
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        Assert.All(study.Epochs, e => Assert.Equal(EpochExclusion.FlatSignal, e.Exclusion));
        Assert.Contains(study.Warnings, w => w.Contains("EEG Fpz-Cz", StringComparison.Ordinal) && w.Contains("flat", StringComparison.Ordinal));
    }

    [Fact]
    public void ModelDerivationsOnly_KeepsTheEegBitForBit_AndEveryWarning()
    {
        // EEG at 256 Hz (resampled); the EOG is a ±2000 µV square wave in a ±500 µV range, so it is
        // clipped (every sample at a limit) and must still be reported when it is not conditioned.
        StudyFiles.Channel[] channels =
        [
            new("EEG Fpz-Cz", 256, StudyFiles.Eeg), new("EEG Pz-Oz", 256, StudyFiles.Eeg),
            new("EOG horizontal", 256, t => Math.Sin(2 * Math.PI * t) > 0 ? 2000 : -2000), new("EMG submental", 200, t => 5 * Math.Sin(2 * Math.PI * 40 * t)),
        ];
        MemoryStream file = StudyFiles.Write(channels, 300);
        using EdfReader fullReader = EdfReader.Open(new MemoryStream(file.ToArray()));
        using EdfReader partReader = EdfReader.Open(new MemoryStream(file.ToArray()));

        ConditionedStudy full = new StudyConditioner().Condition(fullReader);
        ConditionedStudy part = new StudyConditioner().Condition(partReader, derivations: ["EEG Fpz-Cz"]);

        Assert.Equal(4, full.Derivations.Count);
        Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz"], part.Derivations.Select(d => d.Name)); // EEG always: the flat check reads it
        Assert.Equal(full.Montage.Sources.Count, part.Montage.Sources.Count);
        foreach (ConditionedDerivation d in part.Derivations)
        {
            Assert.Equal(full.Derivations.Single(f => f.Name == d.Name).Samples.ToArray(), d.Samples.ToArray());
        }

        Assert.Equal(full.Warnings, part.Warnings);
        Assert.Contains(part.Warnings, w => w.Contains("EOG", StringComparison.Ordinal) && w.Contains("clipped: 100.0 %", StringComparison.Ordinal));
        Assert.Equal(full.Epochs, part.Epochs);
    }

    [Fact]
    public void ReReferencedDerivation_IsTheConditionedDifferenceOfItsTwoSignals()
    {
        // Fpz and Cz recorded against a common reference: Fpz-Cz is built by subtraction. 300 s at
        // 256 Hz is 76800 samples, more than one 65536-sample chunk of the streamed reference.
        StudyFiles.Channel[] channels =
        [
            new("EEG Fpz", 256, t => StudyFiles.Eeg(t) + (50 * Math.Sin(2 * Math.PI * 0.1 * t))),
            new("EEG Cz", 256, t => 50 * Math.Sin(2 * Math.PI * 0.1 * t)), new("EEG Pz-Oz", 256, StudyFiles.Eeg),
        ];
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(channels, 300));

        ConditionedStudy study = new StudyConditioner().Condition(reader, derivations: ["EEG Fpz-Cz"]);

        // The independent route: whole signals read, subtracted, conditioned alone.
        float[] fpz = reader.ReadPhysical(0), cz = reader.ReadPhysical(1);
        float[] difference = [.. fpz.Zip(cz, (a, b) => a - (float)(b * 1.0))];
        IReadOnlyList<DataSegment> segments = DataSegment.FromRecordOnsets(reader.RecordOnsets, reader.Header.RecordDuration);
        float[] expected = new SignalConditioner(ConditioningOptions.Default).Condition(difference, 256, reader.Signals[0].SamplesPerRecord, segments, 300, SignalFilterKind.BandPass);
        ConditionedDerivation frontal = study.For(DerivationRole.FrontalEeg)!;
        Assert.Equal(MatchKind.ReReferenced, frontal.Source.How);
        Assert.Equal(expected, frontal.Samples.ToArray());
    }

    [Fact]
    public void ClippedEeg_IsReported()
    {
        // ±500 µV range, a 2000 µV square wave: every sample sits at a limit.
        StudyFiles.Channel[] channels = [new("EEG Fpz-Cz", 100, t => Math.Sin(2 * Math.PI * t) > 0 ? 2000 : -2000), new("EEG Pz-Oz", 100, StudyFiles.Eeg)];
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(channels, 60));
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        Assert.Contains(study.Warnings, w => w.Contains("clipped", StringComparison.Ordinal) && w.Contains("EEG Fpz-Cz", StringComparison.Ordinal));
    }

    [Fact]
    public void LightsAnnotations_BoundTheScoredEpochs()
    {
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(StudyFiles.SleepEdfLike(), 300, (65, "Lights off"), (200, "Lights on")));
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        Assert.Equal(new LightsPeriod(65, 200), study.Lights);
        // Epochs holding 65 s (epoch 2) through 200 s (epoch 6) are analysed.
        Assert.Equal([false, false, true, true, true, true, true, false, false, false], study.Epochs.Select(e => e.Scorable));
    }

    [Fact]
    public void LightsOnBeforeLightsOff_IsIgnoredWithAWarning()
    {
        using EdfReader reader = EdfReader.Open(StudyFiles.Write(StudyFiles.SleepEdfLike(), 120, (90, "Lights off"), (30, "Lights on")));
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        Assert.Null(study.Lights);
        Assert.Equal(4, study.ScorableEpochs);
        Assert.Contains(study.Warnings, w => w.StartsWith("Lights annotations ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void SampleData_ConditionsAndLinesUpWithItsHypnogram()
    {
        // Runs on a fresh clone: the committed surrogate study (see sample-data/README.md).
        string folder = Path.Combine(SharedData.RepositoryRoot, "sample-data");
        using EdfReader reader = EdfReader.Open(Path.Combine(folder, "SC4001E0-PSG.edf"));
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        Hypnogram hypnogram = HypnogramEdf.Read(Path.Combine(folder, "SC4001EC-Hypnogram.edf")).Hypnogram;

        Assert.Equal(255, study.Epochs.Count);
        Assert.Equal(255, study.ScorableEpochs);
        Assert.Equal(255, hypnogram.Count);
        Assert.Equal(reader.Header.StartTime, hypnogram.StartTime);
        Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz", "EOG horizontal"], study.Derivations.Select(d => d.Name));
    }
}
