using SleepScoring.Edf;

namespace SleepScoring.Cli.Verbs;

/// <summary>What <c>inspect</c> shows, as one serialisable object (the JSON output is this record).</summary>
internal sealed record InspectReport(
    string File,
    string FileType,
    DateTime StartTime,
    double DurationSeconds,
    long RecordCount,
    double RecordDurationSeconds,
    InspectPatient? Patient,
    EdfRecording? Recording,
    IReadOnlyList<InspectSignal> Signals,
    int AnnotationCount,
    IReadOnlyList<EdfAnnotation> FirstAnnotations,
    IReadOnlyList<EdfGap> Gaps,
    IReadOnlyList<EdfWarning> Warnings)
{
    public static InspectReport From(EdfReader reader, string file, bool showPatient, int annotationLimit)
    {
        EdfHeader h = reader.Header;
        IReadOnlyList<EdfAnnotation> annotations = reader.ReadAnnotations();
        return new InspectReport(
            file,
            Describe(h.FileType),
            h.StartTime,
            h.Duration,
            h.RecordCount,
            h.RecordDuration,
            showPatient ? new InspectPatient(h.PatientIdentification, h.Patient) : null,
            h.Recording,
            [.. reader.Signals.Select(InspectSignal.From)],
            annotations.Count,
            [.. annotations.Take(annotationLimit)],
            reader.Gaps,
            reader.Warnings);
    }

    public static string Describe(EdfFileType type) => type switch
    {
        EdfFileType.Edf => "EDF",
        EdfFileType.EdfPlusC => "EDF+C",
        EdfFileType.EdfPlusD => "EDF+D",
        EdfFileType.Bdf => "BDF",
        EdfFileType.BdfPlusC => "BDF+C",
        _ => "BDF+D",
    };
}

/// <summary>The patient identification, only present with <c>--show-patient</c>.</summary>
internal sealed record InspectPatient(string Identification, EdfPatient? Fields);

/// <summary>One row of the signals table.</summary>
internal sealed record InspectSignal(
    int Index, string Label, string Unit, double SamplingRate, long Samples,
    double PhysicalMinimum, double PhysicalMaximum, int DigitalMinimum, int DigitalMaximum, string Prefiltering, bool IsAnnotation)
{
    public static InspectSignal From(EdfSignal s) => new(
        s.Index, s.Label, s.PhysicalDimension, s.SamplingRate, s.SampleCount,
        s.PhysicalMinimum, s.PhysicalMaximum, s.DigitalMinimum, s.DigitalMaximum, s.Prefiltering, s.IsAnnotation);
}
