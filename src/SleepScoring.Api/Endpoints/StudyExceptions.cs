using SleepScoring.Api.Domain;

namespace SleepScoring.Api.Endpoints;

/// <summary>
/// A request about a study that cannot be answered as asked, for a reason the client can see and act
/// on. <see cref="Kind"/> is the stable code: the last segment of the problem's <c>type</c> URI.
/// <see cref="Problems.FromException"/> turns each into RFC 9457 problem+json; endpoints throw them
/// instead of building responses, so every such answer is written in one place.
/// </summary>
public abstract class StudyException(string kind, int status, string title, string detail) : Exception(detail)
{
    /// <summary>Stable problem code (the <c>type</c> URI's last segment).</summary>
    public string Kind { get; } = kind;

    public int Status { get; } = status;

    public string Title { get; } = title;

    /// <summary>Extension members of the problem (RFC 9457 §3.2).</summary>
    public virtual IReadOnlyList<(string Name, object? Value)> Extensions => [];
}

/// <summary>404 <c>not-found</c>: no such study (or one an integration key may not see).</summary>
public sealed class StudyNotFoundException(string studyId)
    : StudyException("not-found", StatusCodes.Status404NotFound, "Not found", $"study {studyId}")
{
    public string StudyId { get; } = studyId;
}

/// <summary>404 <c>not-found</c>: the study has no epoch <see cref="Epoch"/>.</summary>
public sealed class EpochOutOfRangeException(string studyId, long epoch, long? epochs)
    : StudyException("not-found", StatusCodes.Status404NotFound, "Not found", $"epoch {epoch} of study {studyId} (it has epochs 0–{epochs - 1})")
{
    public long Epoch { get; } = epoch;
}

/// <summary>404 <c>not-found</c>: the study is not signed off, so it has no sign-off to show.</summary>
public sealed class SignOffNotFoundException(string studyId)
    : StudyException("not-found", StatusCodes.Status404NotFound, "Not found", $"a sign-off of study {studyId} (it is not signed off)");

/// <summary>409 <c>not-scored</c>: results exist only once the study is scored.</summary>
public sealed class StudyNotScoredException(string studyId, StudyStatus status)
    : StudyException("not-scored", StatusCodes.Status409Conflict, "Study not scored", $"study {studyId} is {status.ToText()}; results exist once it is scored")
{
    /// <summary>The status the study is in.</summary>
    public StudyStatus Current { get; } = status;
}

/// <summary>409 <c>not-failed</c>: only a failed study is scored again.</summary>
public sealed class StudyNotFailedException(string studyId, StudyStatus status)
    : StudyException("not-failed", StatusCodes.Status409Conflict, "Study not failed", $"study {studyId} is {status.ToText()}; only a failed study is scored again");

/// <summary>409 <c>signed-off</c>: a second sign-off; names who signed first and when.</summary>
public sealed class AlreadySignedOffException(string studyId, string signedBy, string signedByName, string signedAt)
    : StudyException("signed-off", StatusCodes.Status409Conflict, "Already signed off", $"study {studyId} was signed off by {signedByName} ({signedBy}) at {signedAt}")
{
    public override IReadOnlyList<(string Name, object? Value)> Extensions => [("signed_by", signedBy), ("signed_at", signedAt)];
}

/// <summary>400 <c>validation</c>: a request parameter's value is not allowed; the message names the parameter and says what is.</summary>
public sealed class InvalidFieldException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
