using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Domain;

/// <summary>Why a study failed: a stable kind and the text shown to callers (never a server path or file text).</summary>
public sealed record StudyError(string Type, string? Detail);

/// <summary>Who signed a study off (key id and name at signing), and when.</summary>
public sealed record StudySignOff(string By, string Name, DateTimeOffset At);

/// <summary>
/// A study as the service knows it: the upload's settings, its place in the lifecycle, what
/// scoring found and how far its review is. Times are UTC; numbers a row holds that are not finite
/// (rows of older versions) are unknown (null) here.
/// </summary>
public sealed record Study
{
    public required string Id { get; init; }

    /// <summary>SHA-256 of the stored file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Fingerprint of the upload request (file SHA-256 and settings): a repeat by the same key finds its study by it.</summary>
    public string RequestSha256 { get; init; } = string.Empty;

    public required StudyStatus Status { get; init; }

    /// <summary>The pipeline step while scoring (or 'waiting to retry').</summary>
    public string? Stage { get; init; }

    public double ProgressPercent { get; init; }

    public long SizeBytes { get; init; }

    public required DateTimeOffset UploadedAt { get; init; }

    /// <summary>Key id of the first uploader.</summary>
    public required string UploadedBy { get; init; }

    /// <summary>Role of the uploading key (null when the key is gone).</summary>
    public string? UploaderRole { get; init; }

    public bool Deidentified { get; init; }

    /// <summary>The upload's <c>map</c> values (LABEL=DERIVATION).</summary>
    public IReadOnlyList<string> ChannelMappings { get; init; } = [];

    /// <summary>Lights off and on as the upload gave them (seconds from the recording start).</summary>
    public double? LightsOff { get; init; }

    public double? LightsOn { get; init; }

    public string? CallbackUrl { get; init; }

    /// <summary>Non-identifying label given at upload (e.g. an order number).</summary>
    public string? Label { get; init; }

    /// <summary>Clock time of the recording start (the recorder's clock, kept as UTC).</summary>
    public DateTimeOffset? StartTime { get; init; }

    public double? DurationSeconds { get; init; }

    /// <summary>EDF, EDF+C, EDF+D or BDF.</summary>
    public string? FileType { get; init; }

    /// <summary>What the EDF reader noticed at upload.</summary>
    public IReadOnlyList<string> EdfWarnings { get; init; } = [];

    public string? ModelName { get; init; }

    public string? ModelVersion { get; init; }

    /// <summary>What scoring noticed (empty until scored).</summary>
    public IReadOnlyList<string> ScoringWarnings { get; init; } = [];

    public int? EpochCount { get; init; }

    public DateTimeOffset? ScoredAt { get; init; }

    /// <summary>The lights period scoring used (the upload's, or the file's annotations).</summary>
    public double? AnalysedLightsOff { get; init; }

    public double? AnalysedLightsOn { get; init; }

    /// <summary>The derivations the model read, in the order of its image bands; null for studies scored before they were stored with the study.</summary>
    public IReadOnlyList<DerivationUsed>? Derivations { get; init; }

    /// <summary>The model card's review threshold the study was scored with; null as for <see cref="Derivations"/>.</summary>
    public double? ReviewThreshold { get; init; }

    public StudyError? Error { get; init; }

    /// <summary>Epochs with a scorer's stage.</summary>
    public int ReviewedEpochs { get; init; }

    /// <summary>Epochs whose scorer's stage differs from the model's.</summary>
    public int CorrectedEpochs { get; init; }

    public StudySignOff? SignedOff { get; init; }

    /// <summary>The reader's warnings, then scoring's.</summary>
    public IReadOnlyList<string> Warnings => [.. EdfWarnings, .. ScoringWarnings];
}
