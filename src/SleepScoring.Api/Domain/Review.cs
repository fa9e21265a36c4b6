using SleepScoring.Analysis;

namespace SleepScoring.Api.Domain;

/// <summary>What an audit entry of a scorer did to an epoch.</summary>
public enum CorrectionAction
{
    /// <summary>The scorer set a stage unlike the model's.</summary>
    Correct,

    /// <summary>The scorer confirmed the model's stage.</summary>
    Accept,

    /// <summary>The scorer's stage was removed (an undo): the epoch is unreviewed again and the model's stage is in force.</summary>
    Withdraw,
}

/// <summary>The stored and shown text of each <see cref="CorrectionAction"/>.</summary>
public static class CorrectionActionText
{
    public static string ToText(this CorrectionAction action) => action switch
    {
        CorrectionAction.Correct => "correct",
        CorrectionAction.Accept => "accept",
        CorrectionAction.Withdraw => "withdraw",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a correction action"),
    };

    public static bool TryParse(string? text, out CorrectionAction action)
    {
        foreach (CorrectionAction a in Enum.GetValues<CorrectionAction>())
        {
            if (a.ToText() == text)
            {
                action = a;
                return true;
            }
        }

        action = default;
        return false;
    }
}

/// <summary>One requested change of an epoch's stage: a stage to set, or null to withdraw the scorer's.</summary>
public sealed record StageChange(int Epoch, SleepStage? Stage, string? Reason);

/// <summary>One entry of a study's append-only correction audit: who changed which epoch from what to what, when and why.</summary>
public sealed record Correction(long Id, string StudyId, int Epoch, SleepStage OldStage, SleepStage NewStage, string? Reason, string CorrectedBy, DateTimeOffset CorrectedAt, CorrectionAction Action);

/// <summary>A study's sign-off: who (key id, and name and role at signing), when, and the review state it was signed in.</summary>
public sealed record SignOff(
    string StudyId,
    string SignedBy,
    string SignedByName,
    string SignedByRole,
    DateTimeOffset SignedAt,
    int ReviewedEpochs,
    int CorrectedEpochs,
    int QueueEpochs,
    int QueueReviewed,
    string? Statement);

/// <summary>An API key as stored: never the key itself; the callback secret of integration keys.</summary>
public sealed record ApiKey(string Id, string Name, string Role, string? CallbackSecret, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}
