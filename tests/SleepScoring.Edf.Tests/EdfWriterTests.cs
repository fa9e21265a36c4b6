namespace SleepScoring.Edf.Tests;

public class EdfWriterTests
{
    [Fact]
    public void RoundTrip_DigitalSamples_AreExact()
    {
        // Digital values chosen to hit both ends of the 16-bit range and zero.
        int[] eeg = [.. Enumerable.Range(0, 300).Select(i => ((i * 7919) % 65536) - 32768)];
        eeg[0] = short.MinValue;
        eeg[1] = short.MaxValue;
        eeg[2] = 0;
        int[] resp = [.. Enumerable.Range(0, 3).Select(i => (i * 100) - 100)];
        EdfWriter writer = new() { RecordDuration = 1, StartTime = new DateTime(2024, 2, 29, 23, 59, 58) };
        writer.AddDigitalSignal(new EdfSignalSpec("EEG Fpz-Cz", -500, 500, 100) { PhysicalDimension = "uV", Prefiltering = "HP:0.5Hz" }, eeg);
        writer.AddDigitalSignal(new EdfSignalSpec("Resp", -1, 1, 1) { DigitalMinimum = -1000, DigitalMaximum = 1000 }, resp);

        using EdfReader reader = Reopen(writer);

        Assert.Equal(EdfFileType.EdfPlusC, reader.Header.FileType);
        Assert.Equal(3, reader.Header.RecordCount);
        Assert.Equal(new DateTime(2024, 2, 29, 23, 59, 58), reader.Header.StartTime);
        Assert.Equal(3, reader.Signals.Count); // two signals + the annotation signal
        Assert.True(reader.Signals[2].IsAnnotation);
        Assert.Equal("HP:0.5Hz", reader.Signals[0].Prefiltering);
        Assert.Equal(1.0, reader.Signals[0].MicrovoltsPerUnit);
        int[] back = new int[300];
        Assert.Equal(300, reader.ReadDigital(0, 0, back));
        Assert.Equal(eeg, back);
        int[] respBack = new int[3];
        reader.ReadDigital(1, 0, respBack);
        Assert.Equal(resp, respBack);
        Assert.Empty(reader.Warnings);
    }

    [Fact]
    public void RoundTrip_PhysicalSamples_WithinHalfAStep()
    {
        // 1000 µV over 65535 steps: a step is 0.01526 µV, so rounding errs by at most half of it.
        float[] sine = [.. Enumerable.Range(0, 1000).Select(i => (float)(400 * Math.Sin(2 * Math.PI * i / 100.0)))];
        EdfWriter writer = new() { RecordDuration = 2 };
        writer.AddSignal(new EdfSignalSpec("EEG", -500, 500, 200) { PhysicalDimension = "uV" }, sine);

        using EdfReader reader = Reopen(writer);

        float[] back = reader.ReadPhysical(0);
        Assert.Equal(1000, back.Length);
        double step = 1000.0 / 65535;
        for (int i = 0; i < sine.Length; i++)
        {
            Assert.InRange(back[i] - sine[i], -(step / 2) - 1e-4, (step / 2) + 1e-4);
        }
    }

    [Fact]
    public void RoundTrip_AnnotationsAndSubsecondStart_AreKept()
    {
        DateTime start = new(2023, 5, 6, 22, 30, 15, 250);
        EdfWriter writer = new()
        {
            RecordDuration = 30,
            StartTime = start,
            Patient = new EdfPatient { Code = "P01", Sex = "F", BirthDate = new DateOnly(1970, 3, 1), Name = "Jane Doe" },
            Recording = new EdfRecording { AdminCode = "A7", Technician = "tech", Equipment = "PSG-1" },
        };
        writer.AddSignal(new EdfSignalSpec("EEG", -100, 100, 3000), new float[9000]);
        writer.AddAnnotation(60.5, 30, "Sleep stage 2");
        writer.AddAnnotation(0, 30, "Sleep stage W");
        writer.AddAnnotation(75.125, null, "Spindle — ümlaut 仰卧");

        using EdfReader reader = Reopen(writer);

        Assert.Equal(start, reader.Header.StartTime);
        Assert.Equal("P01", reader.Header.Patient!.Code);
        Assert.Equal("F", reader.Header.Patient.Sex);
        Assert.Equal(new DateOnly(1970, 3, 1), reader.Header.Patient.BirthDate);
        Assert.Equal("Jane Doe", reader.Header.Patient.Name); // stored as Jane_Doe, reported with spaces like edflib
        Assert.Equal(new DateOnly(2023, 5, 6), reader.Header.Recording!.StartDate);
        Assert.Equal("PSG-1", reader.Header.Recording.Equipment);
        Assert.Equal(
            [new EdfAnnotation(0, 30, "Sleep stage W"), new EdfAnnotation(60.5, 30, "Sleep stage 2"), new EdfAnnotation(75.125, null, "Spindle — ümlaut 仰卧")],
            reader.ReadAnnotations().Select(a => a with { Onset = Math.Round(a.Onset, 9) }));
        Assert.Equal([0.0, 30.0, 60.0], reader.RecordOnsets.Select(o => Math.Round(o, 9)));
    }

    [Fact]
    public void AnnotationOnlyFile_WithZeroRecordDuration_RoundTrips()
    {
        EdfWriter writer = new() { RecordDuration = 0 };
        for (int i = 0; i < 50; i++)
        {
            writer.AddAnnotation(i * 30, 30, i % 2 == 0 ? "Sleep stage W" : "Sleep stage 1");
        }

        using EdfReader reader = Reopen(writer);

        Assert.Equal(1, reader.Header.RecordCount);
        Assert.Equal(0, reader.Header.RecordDuration);
        Assert.Single(reader.Signals);
        Assert.Equal(50, reader.ReadAnnotations().Count);
        Assert.Equal(49 * 30, reader.ReadAnnotations()[^1].Onset);
    }

    [Fact]
    public void PlainEdf_HasNoAnnotationSignal()
    {
        EdfWriter writer = new() { FileType = EdfFileType.Edf, PlainPatientIdentification = "anon" };
        writer.AddDigitalSignal(new EdfSignalSpec("X", 0, 1, 4), new[] { 1, 2, 3, 4, 5, 6, 7, 8 });

        using EdfReader reader = Reopen(writer);

        Assert.Equal(EdfFileType.Edf, reader.Header.FileType);
        Assert.Single(reader.Signals);
        Assert.Equal("anon", reader.Header.PatientIdentification);
        Assert.Null(reader.Header.Patient);
    }

    [Fact]
    public void SignalsOfDifferentDurations_AreRefused()
    {
        EdfWriter writer = new();
        writer.AddSignal(new EdfSignalSpec("A", 0, 1, 10), new float[20]);
        writer.AddSignal(new EdfSignalSpec("B", 0, 1, 10), new float[30]);

        Assert.Throws<InvalidOperationException>(() => writer.Write(new MemoryStream()));
    }

    internal static EdfReader Reopen(EdfWriter writer)
    {
        MemoryStream stream = new();
        writer.Write(stream);
        stream.Position = 0;
        return EdfReader.Open(stream);
    }
}
