using System.Text;

namespace SleepScoring.Edf.Tests;

/// <summary>De-identification in place: identification fields, annotation texts by the caller's vocabulary, nothing else.</summary>
public class EdfDeidentifierTests
{
    // EDF header: bytes 8–87 patient, 88–167 recording identification (EDF specification).
    private static string Patient(byte[] file) => Encoding.ASCII.GetString(file, 8, 80);

    private static string Recording(byte[] file) => Encoding.ASCII.GetString(file, 88, 80);

    /// <summary>An EDF+C night fragment: 4 records of 2 s, one signal, annotations of a stage, lights and a nurse's note.</summary>
    private static byte[] Identified(params string[] annotations)
    {
        var writer = new EdfWriter
        {
            RecordDuration = 2,
            StartTime = new DateTime(2024, 3, 1, 22, 30, 0),
            Patient = new EdfPatient { Code = "MRN-4711", Name = "Jane Doe", Sex = "F", BirthDate = new DateOnly(1970, 5, 6) },
            Recording = new EdfRecording { AdminCode = "PSG-99", Technician = "Nurse_Smith", Equipment = "Alice6" },
        };
        writer.AddDigitalSignal(new EdfSignalSpec("EEG", -100, 100, 4) { PhysicalDimension = "uV" }, Enumerable.Range(0, 16).ToArray());
        for (int i = 0; i < annotations.Length; i++)
        {
            writer.AddAnnotation(i * 2 + 0.5, null, annotations[i]);
        }

        var stream = new MemoryStream();
        writer.Write(stream);
        return stream.ToArray();
    }

    private static byte[] Deidentify(byte[] file, EdfDeidentifyOptions? options, out EdfDeidentifyResult result)
    {
        var stream = new MemoryStream();
        stream.Write(file);
        result = EdfDeidentifier.Deidentify(stream, options);
        return stream.ToArray();
    }

    [Fact]
    public void IdentificationFields_BecomeUnknown_TheStartDateStays_TheRestIsByteForByte()
    {
        byte[] file = Identified("Sleep stage W");

        byte[] done = Deidentify(file, null, out _);

        Assert.Equal("X X X X".PadRight(80), Patient(done));
        Assert.Equal("Startdate 01-MAR-2024 X X X".PadRight(80), Recording(done));
        Assert.Equal(file[..8], done[..8]);
        Assert.Equal(file[168..], done[168..]); // dates, counts, signal headers, samples and annotations untouched
        using EdfReader reader = EdfTestFiles.Open(done);
        Assert.Equal(new DateTime(2024, 3, 1, 22, 30, 0), reader.Header.StartTime);
        Assert.Null(reader.Header.Patient!.Name);
        Assert.Null(reader.Header.Recording!.Technician);
    }

    [Fact]
    public void PlainEdf_GetsXInBothFields()
    {
        var writer = new EdfWriter { FileType = EdfFileType.Edf, RecordDuration = 1, PlainPatientIdentification = "Jane Doe 1970", PlainRecordingIdentification = "Night 1 ward 3" };
        writer.AddDigitalSignal(new EdfSignalSpec("EEG", -1, 1, 2), new[] { 1, 2, 3, 4 });
        var stream = new MemoryStream();
        writer.Write(stream);

        byte[] done = Deidentify(stream.ToArray(), null, out _);

        Assert.Equal("X".PadRight(80), Patient(done));
        Assert.Equal("X".PadRight(80), Recording(done));
    }

    [Fact]
    public void AnnotationTexts_KeepTheVocabulary_ReplaceKnownPrefixes_BlankTheRest()
    {
        byte[] file = Identified("Sleep stage W", "Lights off by Nurse_Smith", "Patient Jane Doe coughed", "Sleep stage 2");
        static string? Vocabulary(string text) =>
            text.StartsWith("Sleep stage ", StringComparison.Ordinal) ? text
            : text.StartsWith("Lights off", StringComparison.Ordinal) ? "Lights off"
            : null;

        byte[] done = Deidentify(file, new EdfDeidentifyOptions { AnnotationText = Vocabulary }, out EdfDeidentifyResult result);

        using EdfReader reader = EdfTestFiles.Open(done);
        Assert.Equal(
            [(0.5, "Sleep stage W"), (2.5, "Lights off"), (6.5, "Sleep stage 2")],
            reader.ReadAnnotations().Select(a => (a.Onset, a.Text)));
        Assert.Equal(new EdfDeidentifyResult(AnnotationsKept: 2, AnnotationsReplaced: 1, AnnotationsBlanked: 1), result);
        Assert.Equal([0.0, 2, 4, 6], reader.RecordOnsets); // the time-keeping TALs are intact
        Assert.DoesNotContain("Nurse", Encoding.Latin1.GetString(done), StringComparison.Ordinal);
        Assert.DoesNotContain("Jane", Encoding.Latin1.GetString(done), StringComparison.Ordinal);
        using EdfReader original = EdfTestFiles.Open(file);
        Assert.Equal(original.ReadPhysical(0), reader.ReadPhysical(0));
    }

    [Fact]
    public void ReplacementLongerThanTheText_IsBlanked()
    {
        byte[] file = Identified("W");

        byte[] done = Deidentify(file, new EdfDeidentifyOptions { AnnotationText = _ => "Sleep stage W" }, out EdfDeidentifyResult result);

        Assert.Empty(EdfTestFiles.Open(done).ReadAnnotations());
        Assert.Equal(1, result.AnnotationsBlanked);
    }

    [Fact]
    public void WithoutAnAnnotationRule_AnnotationsStay()
    {
        byte[] file = Identified("Lights off by Nurse_Smith");

        byte[] done = Deidentify(file, null, out EdfDeidentifyResult result);

        Assert.Equal("Lights off by Nurse_Smith", Assert.Single(EdfTestFiles.Open(done).ReadAnnotations()).Text);
        Assert.Equal(new EdfDeidentifyResult(0, 0, 0), result);
    }

    [Fact]
    public void MalformedAnnotation_IsRejected_AndNothingIsWritten()
    {
        byte[] file = Identified("Lights off by Nurse_Smith");
        int at = Encoding.Latin1.GetString(file).IndexOf("+2.5\u0014", StringComparison.Ordinal);
        file[at + 1] = (byte)'x'; // the onset of the second record's annotation is no number

        var stream = new MemoryStream();
        stream.Write(file);
        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfDeidentifier.Deidentify(stream, new EdfDeidentifyOptions { AnnotationText = _ => null }));

        Assert.Equal(file, stream.ToArray());
        Assert.DoesNotContain("Nurse", e.MessageWithoutValue, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableStartdateSubfield_IsNotCarriedOver()
    {
        byte[] file = EdfTestFiles.Patch(Identified(), 88, 80, "Startdate Jane_Doe_ward_3 X X X");

        byte[] done = Deidentify(file, null, out _);

        Assert.Equal("Startdate X X X X".PadRight(80), Recording(done));
    }
}
