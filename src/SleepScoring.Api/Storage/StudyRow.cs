using System.Globalization;
using System.Text.Json;

using SleepScoring.Api.Domain;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Storage;

/// <summary>
/// One row of the <c>studies</c> table as the database holds it (columns mapped by name,
/// underscores ignored), with its joined review counts and sign-off. <see cref="ToStudy"/> is the
/// one place a stored study becomes a <see cref="Study"/>, and <see cref="From"/> the one place a
/// new study becomes a row.
/// </summary>
internal sealed class StudyRow
{
    public required string Id { get; init; }

    public required string Sha256 { get; init; }

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

    public string? Label { get; init; }

    /// <summary>The model's derivations (JSON array), written with the result.</summary>
    public string? Derivations { get; init; }

    public double? ReviewThreshold { get; init; }

    /// <summary>Joined from api_keys.</summary>
    public string? UploaderRole { get; init; }

    /// <summary>Joined from epochs.</summary>
    public int ReviewedEpochs { get; init; }

    public int CorrectedEpochs { get; init; }

    /// <summary>Joined from study_signoffs.</summary>
    public string? SignedBy { get; init; }

    public string? SignedByName { get; init; }

    public string? SignedAt { get; init; }

    /// <summary>
    /// The study this row holds. Lenient where a row of an older version may hold what the schema
    /// now refuses (an infinite number, text that is not JSON, an unreadable time): such a value is
    /// unknown. Strict about the status, which decides what may be done with the study.
    /// </summary>
    /// <exception cref="StoredStudyException">The status is not one this version knows.</exception>
    public Study ToStudy() => new()
    {
        Id = Id,
        Sha256 = Sha256,
        RequestSha256 = RequestSha256,
        Status = StudyStatusText.TryParse(Status, out StudyStatus status) ? status : throw new StoredStudyException(Id, "status", Status, $"one of {string.Join(", ", StudyStatusText.All)}"),
        Stage = Stage,
        ProgressPercent = Finite(ProgressPercent) ?? 0,
        SizeBytes = SizeBytes,
        UploadedAt = StoredTime.Parse(UploadedAt) ?? DateTimeOffset.UnixEpoch,
        UploadedBy = UploadedBy,
        UploaderRole = UploaderRole,
        Deidentified = Deidentified,
        ChannelMappings = StoredJson.Strings(ChannelMappings),
        LightsOff = Finite(LightsOff),
        LightsOn = Finite(LightsOn),
        CallbackUrl = CallbackUrl,
        Label = Label,
        StartTime = StoredTime.Parse(StartTime),
        DurationSeconds = Finite(DurationSeconds),
        FileType = FileType,
        EdfWarnings = StoredJson.Strings(EdfWarnings),
        ModelName = ModelName,
        ModelVersion = ModelVersion,
        ScoringWarnings = StoredJson.Strings(ScoringWarnings),
        EpochCount = EpochCount,
        ScoredAt = StoredTime.Parse(ScoredAt),
        AnalysedLightsOff = Finite(AnalysedLightsOff),
        AnalysedLightsOn = Finite(AnalysedLightsOn),
        Derivations = StoredJson.Derivations(Derivations),
        ReviewThreshold = Finite(ReviewThreshold),
        Error = ErrorType is null ? null : new StudyError(ErrorType, ErrorDetail),
        ReviewedEpochs = ReviewedEpochs,
        CorrectedEpochs = CorrectedEpochs,
        SignedOff = SignedBy is null ? null : new StudySignOff(SignedBy, SignedByName ?? SignedBy, StoredTime.Parse(SignedAt) ?? DateTimeOffset.UnixEpoch),
    };

    /// <summary>The row of a new upload (its scoring columns empty).</summary>
    public static StudyRow From(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return new StudyRow
        {
            Id = study.Id,
            Sha256 = study.Sha256,
            RequestSha256 = study.RequestSha256,
            Status = study.Status.ToText(),
            SizeBytes = study.SizeBytes,
            UploadedAt = StoredTime.Format(study.UploadedAt),
            UploadedBy = study.UploadedBy,
            Deidentified = study.Deidentified,
            ChannelMappings = JsonSerializer.Serialize(study.ChannelMappings),
            LightsOff = study.LightsOff,
            LightsOn = study.LightsOn,
            CallbackUrl = study.CallbackUrl,
            StartTime = study.StartTime is DateTimeOffset start ? StoredTime.Format(start) : null,
            DurationSeconds = study.DurationSeconds,
            FileType = study.FileType,
            EdfWarnings = JsonSerializer.Serialize(study.EdfWarnings),
            Label = study.Label,
        };
    }

    private static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;
}

/// <summary>A stored row holds a value this version cannot give a meaning (e.g. a status of a newer version).</summary>
public sealed class StoredStudyException(string studyId, string column, string? value, string expected)
    : Exception($"study {studyId} holds {column} '{value}' in the database, which this version does not know (expected {expected})")
{
    public string StudyId { get; } = studyId;

    public string Column { get; } = column;
}

/// <summary>The JSON the study rows keep in text columns.</summary>
internal static class StoredJson
{
    /// <summary>The scored-study contract's shape (snake_case), as <c>studies.derivations</c> holds it.</summary>
    private static readonly JsonSerializerOptions ContractOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Serialize(IReadOnlyList<DerivationUsed> derivations) => JsonSerializer.Serialize(derivations, ContractOptions);

    /// <summary>A JSON array of strings; empty when null or not such an array (rows of older versions).</summary>
    public static IReadOnlyList<string> Strings(string? json)
    {
        try
        {
            return json is null ? [] : JsonSerializer.Deserialize<string?[]>(json)?.OfType<string>().ToArray() ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The derivations, or null when none are stored or the text is unreadable (the result file then says).</summary>
    public static IReadOnlyList<DerivationUsed>? Derivations(string? json)
    {
        try
        {
            return json is null ? null : JsonSerializer.Deserialize<DerivationUsed[]>(json, ContractOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Times as the database stores them: UTC, ISO 8601 round-trip text (sortable as text).</summary>
public static class StoredTime
{
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The stored time; null when absent or unreadable. Text without an offset is UTC.</summary>
    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTimeOffset t) ? t : null;
}
