using System.Text.Json;

using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Endpoints;

/// <summary>Progress of a study being scored.</summary>
public sealed record ProgressDto(double Percent, string? Stage);

/// <summary>Why a study failed.</summary>
public sealed record StudyErrorDto(string Type, string? Detail);

/// <summary>Model that scored a study.</summary>
public sealed record ModelRefDto(string Name, string? Version);

/// <summary>How far the review of a scored study is: epochs with a scorer's stage, of which corrected, and the sign-off.</summary>
public sealed record ReviewStateDto(int ReviewedEpochs, int CorrectedEpochs, SignOffRefDto? SignedOff);

/// <summary>Who signed a study off, and when.</summary>
public sealed record SignOffRefDto(string By, string Name, DateTime At);

/// <summary>A study as <c>GET /api/v1/studies/{id}</c> returns it.</summary>
public sealed record StudyDto(
    string Id,
    string Status,
    ProgressDto Progress,
    string Sha256,
    long SizeBytes,
    DateTime UploadedAt,
    string UploadedBy,
    bool Deidentified,
    IReadOnlyList<string> ChannelMappings,
    double? LightsOffSeconds,
    double? LightsOnSeconds,
    bool HasCallback,
    DateTime? StartTime,
    double? DurationSeconds,
    string? FileType,
    IReadOnlyList<string> Warnings,
    ModelRefDto? Model,
    int? Epochs,
    DateTime? ScoredAt,
    StudyErrorDto? Error,
    string? Label,
    string? UploaderRole,
    ReviewStateDto Review,
    IReadOnlyDictionary<string, string> Links)
{
    /// <summary>
    /// The row as the API shows it. Written defensively: whatever a row holds (an infinity, text
    /// that is not JSON), the study and every listing that includes it serialise.
    /// </summary>
    public static StudyDto From(StudyRow s)
    {
        ArgumentNullException.ThrowIfNull(s);
        string self = $"/api/v1/studies/{s.Id}";
        var links = new Dictionary<string, string> { ["self"] = self };
        if (s.Status == StudyStatus.Scored)
        {
            links["hypnogram"] = self + "/hypnogram";
            links["statistics"] = self + "/statistics";
            links["review"] = self + "/review";
            links["hypnogram_png"] = self + "/hypnogram.png";
            links["report_pdf"] = self + "/report.pdf";
            links["workstation"] = $"/review/{s.Id}/0";
        }

        links["signals"] = self + "/signals";

        string[] warnings = [.. Strings(s.EdfWarnings), .. Strings(s.ScoringWarnings)];
        return new StudyDto(
            s.Id,
            s.Status,
            new ProgressDto(Finite(s.ProgressPercent) ?? 0, s.Stage),
            s.Sha256,
            s.SizeBytes,
            Time(s.UploadedAt) ?? DateTime.UnixEpoch,
            s.UploadedBy,
            s.Deidentified,
            Strings(s.ChannelMappings),
            Finite(s.AnalysedLightsOff ?? s.LightsOff),
            Finite(s.AnalysedLightsOn ?? s.LightsOn),
            s.CallbackUrl is not null,
            Time(s.StartTime),
            Finite(s.DurationSeconds),
            s.FileType,
            warnings,
            s.ModelName is null ? null : new ModelRefDto(s.ModelName, s.ModelVersion),
            s.EpochCount,
            Time(s.ScoredAt),
            s.ErrorType is null ? null : new StudyErrorDto(s.ErrorType, s.ErrorDetail),
            s.Label,
            s.UploaderRole,
            new ReviewStateDto(s.ReviewedEpochs, s.CorrectedEpochs, s.SignedBy is null ? null : new SignOffRefDto(s.SignedBy, s.SignedByName ?? s.SignedBy, Time(s.SignedAt)!.Value)),
            links);
    }

    private static DateTime? Time(string? text) =>
        DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out DateTime t) ? t : null;

    /// <summary>JSON has no infinity or NaN: such a number is shown as unknown.</summary>
    private static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;

    private static string[] Strings(string? json)
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
}

/// <summary>A page of <c>GET /api/v1/studies</c>.</summary>
public sealed record StudyPageDto(IReadOnlyList<StudyDto> Items, int Page, int PageSize, int Total);
