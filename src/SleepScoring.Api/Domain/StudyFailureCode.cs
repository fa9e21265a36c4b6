namespace SleepScoring.Api.Domain;

/// <summary>
/// The stable codes of a failed study's <c>error.type</c> (study, job table, callback body): what a
/// client may branch on. Never a .NET type name, so a refactoring does not change the contract.
/// </summary>
public static class StudyFailureCode
{
    /// <summary>The EDF file cannot be read (the detail names the field and offset). Permanent.</summary>
    public const string EdfFormat = "edf-format";

    /// <summary>The signals do not give the model's derivations, or a mapping names a missing signal. Permanent.</summary>
    public const string Montage = "montage";

    /// <summary>The recording is shorter than one epoch or its timeline too long. Permanent.</summary>
    public const string Duration = "duration";

    /// <summary>A value of the request the scorer cannot use (the lights period). Permanent.</summary>
    public const string ScoringInput = "scoring-input";

    /// <summary>Reading or writing the study's files failed. Transient: retried, then failed with this code.</summary>
    public const string Storage = "storage";

    /// <summary>Recording the study in the database failed. Transient.</summary>
    public const string Database = "database";

    /// <summary>The service ran out of memory while scoring. Transient.</summary>
    public const string OutOfMemory = "out-of-memory";

    /// <summary>The process died while scoring this study too many times (at start, see the job store).</summary>
    public const string Interrupted = "interrupted";

    /// <summary>A fault of the service itself: retried up to the attempt limit, then failed with this code.</summary>
    public const string Internal = "internal";

    /// <summary>Every code, for the OpenAPI enum and the tests.</summary>
    public static IReadOnlyList<string> All { get; } = [EdfFormat, Montage, Duration, ScoringInput, Storage, Database, OutOfMemory, Interrupted, Internal];
}
