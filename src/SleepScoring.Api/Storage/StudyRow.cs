namespace SleepScoring.Api.Storage;

/// <summary>One row of the <c>studies</c> table (columns mapped by name, underscores ignored).</summary>
public sealed class StudyRow
{
    public required string Id { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>Fingerprint of the upload request (file SHA-256 and settings): a repeat by the same key finds its study by it.</summary>
    public string RequestSha256 { get; init; } = string.Empty;

    public required string Status { get; init; }

    public string? Stage { get; init; }

    public double ProgressPercent { get; init; }

    public long SizeBytes { get; init; }

    public required string UploadedAt { get; init; }

    public required string UploadedBy { get; init; }

    public bool Deidentified { get; init; }

    public string ChannelMappings { get; init; } = "[]";

    public double? LightsOff { get; init; }

    public double? LightsOn { get; init; }

    public string? CallbackUrl { get; init; }

    public string? StartTime { get; init; }

    public double? DurationSeconds { get; init; }

    public string? FileType { get; init; }

    public string EdfWarnings { get; init; } = "[]";

    public string? ModelName { get; init; }

    public string? ModelVersion { get; init; }

    public string? ScoringWarnings { get; init; }

    public int? EpochCount { get; init; }

    public string? ScoredAt { get; init; }

    public double? AnalysedLightsOff { get; init; }

    public double? AnalysedLightsOn { get; init; }

    public string? ErrorType { get; init; }

    public string? ErrorDetail { get; init; }

    /// <summary>Non-identifying label given at upload (e.g. an order number).</summary>
    public string? Label { get; init; }

    /// <summary>The model's derivations (JSON array), written with the result.</summary>
    public string? Derivations { get; init; }

    /// <summary>The model card's review threshold the study was scored with.</summary>
    public double? ReviewThreshold { get; init; }

    /// <summary>Role of the uploading key (joined from api_keys).</summary>
    public string? UploaderRole { get; init; }

    /// <summary>Epochs with a scorer's stage (joined from epochs).</summary>
    public int ReviewedEpochs { get; init; }

    /// <summary>Epochs whose scorer's stage differs from the model's.</summary>
    public int CorrectedEpochs { get; init; }

    /// <summary>Key id of the clinician who signed the study off, or null (joined from study_signoffs).</summary>
    public string? SignedBy { get; init; }

    public string? SignedByName { get; init; }

    public string? SignedAt { get; init; }
}

/// <summary>Study lifecycle values of <c>studies.status</c>.</summary>
public static class StudyStatus
{
    public const string Queued = "queued";
    public const string Scoring = "scoring";
    public const string Scored = "scored";
    public const string Failed = "failed";

    public static readonly string[] All = [Queued, Scoring, Scored, Failed];
}
