using SleepScoring.Api.Domain;

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
    /// <summary>The study as the API shows it (a pure mapping: the store has read the row already).</summary>
    public static StudyDto From(Study s)
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
        return new StudyDto(
            s.Id,
            s.Status.ToText(),
            new ProgressDto(s.ProgressPercent, s.Stage),
            s.Sha256,
            s.SizeBytes,
            s.UploadedAt.UtcDateTime,
            s.UploadedBy,
            s.Deidentified,
            s.ChannelMappings,
            s.AnalysedLightsOff ?? s.LightsOff,
            s.AnalysedLightsOn ?? s.LightsOn,
            s.CallbackUrl is not null,
            s.StartTime?.UtcDateTime,
            s.DurationSeconds,
            s.FileType,
            s.Warnings,
            s.ModelName is null ? null : new ModelRefDto(s.ModelName, s.ModelVersion),
            s.EpochCount,
            s.ScoredAt?.UtcDateTime,
            s.Error is null ? null : new StudyErrorDto(s.Error.Type, s.Error.Detail),
            s.Label,
            s.UploaderRole,
            new ReviewStateDto(s.ReviewedEpochs, s.CorrectedEpochs, s.SignedOff is null ? null : new SignOffRefDto(s.SignedOff.By, s.SignedOff.Name, s.SignedOff.At.UtcDateTime)),
            links);
    }
}

/// <summary>A page of <c>GET /api/v1/studies</c>.</summary>
public sealed record StudyPageDto(IReadOnlyList<StudyDto> Items, int Page, int PageSize, int Total);
