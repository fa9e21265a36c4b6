using SleepScoring.Api.Domain;

namespace SleepScoring.Api.Endpoints;

/// <summary>One entry of a study's correction audit as the API shows it (stages by their contract names).</summary>
public sealed record CorrectionDto(long Id, string StudyId, int Epoch, string OldStage, string NewStage, string? Reason, string CorrectedBy, DateTime CorrectedAt, string Action)
{
    public static CorrectionDto From(Correction c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new CorrectionDto(c.Id, c.StudyId, c.Epoch, EpochResult.Name(c.OldStage), EpochResult.Name(c.NewStage), c.Reason, c.CorrectedBy, c.CorrectedAt.UtcDateTime, c.Action.ToText());
    }
}

/// <summary>A key as listed to admins: no secret of any kind.</summary>
public sealed record ApiKeySummary(string Id, string Name, string Role, DateTime CreatedAt, DateTime? RevokedAt)
{
    public static ApiKeySummary From(ApiKey k)
    {
        ArgumentNullException.ThrowIfNull(k);
        return new ApiKeySummary(k.Id, k.Name, k.Role, k.CreatedAt.UtcDateTime, k.RevokedAt?.UtcDateTime);
    }
}
