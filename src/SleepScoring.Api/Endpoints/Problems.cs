using FluentValidation.Results;

using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

using Npgsql;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Ingest;
using SleepScoring.Edf;

namespace SleepScoring.Api.Endpoints;

/// <summary>RFC 9457 problem responses; <c>type</c> URIs name the kind of problem.</summary>
public static class Problems
{
    private const string TypeBase = "https://sleepscoring.example/problems/";

    /// <summary>404 <c>not-found</c> for what is named (the study access filter's answer; endpoints throw <see cref="StudyNotFoundException"/> and its kin).</summary>
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: what, statusCode: StatusCodes.Status404NotFound, type: TypeBase + "not-found");

    public static ValidationProblem Validation(ValidationResult result) =>
        TypedResults.ValidationProblem(
            result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()),
            title: "Invalid request",
            type: TypeBase + "validation");

    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid request", type: TypeBase + "validation");

    /// <summary>Maps the typed exceptions users can cause to problem responses (never a 500), and a stored row this version cannot read.</summary>
    public static IResult? FromException(Exception exception) => exception switch
    {
        StudyException e => Typed(e.Status, e.Kind, e.Title, e.Message, [.. e.Extensions]),
        InvalidFieldException e => Field(e.Field, e.Message),

        // Never the offending value: it is text of the file (an annotation, an identification field).
        EdfFormatException e => Typed(StatusCodes.Status422UnprocessableEntity, "edf-format", "Not a readable EDF file", e.MessageWithoutValue, ("field", e.Field), ("offset", e.Offset)),
        IncompleteBodyException e => Typed(StatusCodes.Status400BadRequest, "incomplete-body", "Incomplete request body", e.Message),
        UnscorableStudyException e => Typed(StatusCodes.Status422UnprocessableEntity, "unscorable", "Study cannot be scored", e.Message, ("field", e.Field)),
        UploadTooLargeException e => Typed(StatusCodes.Status413PayloadTooLarge, "too-large", "Upload too large", e.Message, ("limit", e.Limit)),
        BadHttpRequestException e => Typed(e.StatusCode, "bad-request", "Bad request", e.Message),
        // Not the caller's fault, but a clear answer: the row holds what this version cannot read (e.g. a newer version's status).
        Storage.StoredStudyException e => Typed(StatusCodes.Status500InternalServerError, "unreadable-study", "Study unreadable by this version", e.Message, ("study_id", e.StudyId), ("column", e.Column)),
        Storage.HypnogramLockedException e => Typed(StatusCodes.Status409Conflict, "locked", "Hypnogram locked by its sign-off", e.Message, ("signed_by", e.SignOff.SignedBy), ("signed_by_name", e.SignOff.SignedByName), ("signed_at", Storage.StoredTime.Format(e.SignOff.SignedAt))),
        SqliteException { SqliteErrorCode: 5 or 6 } => Unavailable("database-busy", "Database busy", "the database is busy with another writer; retry shortly", 2),
        SqliteException { SqliteErrorCode: 8 or 10 or 11 or 13 or 14 or 26 } => Unavailable("storage-unavailable", "Storage unavailable", "the database cannot be read or written now; retry later", 30),
        // PostgreSQL: a transaction that lost a serialization or deadlock race, a lock wait, a full connection limit, a server shutting down or starting.
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow }
            => Unavailable("database-busy", "Database busy", "the database is busy or restarting; retry shortly", 2),
        // Two nodes wrote the same key at once; the request's retry finds the other's row.
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => Conflict("concurrent-write", "Concurrent write", "another request wrote the same record at the same moment; retry", 1),
        PostgresException { SqlState: PostgresErrorCodes.DiskFull or PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.CrashShutdown }
            => Unavailable("storage-unavailable", "Storage unavailable", "the database cannot be written now; retry later", 30),
        // No server answer at all (refused, timed out, connection lost).
        NpgsqlException and not PostgresException => Unavailable("storage-unavailable", "Storage unavailable", "the database cannot be reached now; retry later", 30),
        // In this service an I/O error is the data folder's (the request body's are IncompleteBodyException or BadHttpRequestException).
        IOException or UnauthorizedAccessException => Unavailable("storage-unavailable", "Storage unavailable", "the data folder cannot be read or written now; retry later", 30),
        _ => null,
    };

    /// <summary>A problem of kind <paramref name="kind"/> (the last segment of its type URI) with extension members.</summary>
    public static ProblemHttpResult Typed(int status, string kind, string title, string detail, params (string Name, object? Value)[] extensions) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, type: TypeBase + kind, extensions: extensions.ToDictionary(e => e.Name, e => e.Value));

    /// <summary>409: the request cannot run now (the study's state, or a request in progress); with Retry-After when waiting helps.</summary>
    public static IResult Conflict(string kind, string title, string detail, int? retryAfterSeconds = null)
    {
        IResult problem = Typed(StatusCodes.Status409Conflict, kind, title, detail);
        return retryAfterSeconds is int seconds ? new RetryAfter(problem, seconds) : problem;
    }

    /// <summary>503 with Retry-After: storage or the database is busy or unavailable for a moment.</summary>
    public static IResult Unavailable(string kind, string title, string detail, int retryAfterSeconds) =>
        new RetryAfter(Typed(StatusCodes.Status503ServiceUnavailable, kind, title, detail), retryAfterSeconds);

    /// <summary>Adds Retry-After (seconds) to a response.</summary>
    private sealed class RetryAfter(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}

/// <summary>Turns the typed exceptions of <see cref="Problems.FromException"/> into responses; logs only their type and field.</summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        IResult? problem = Problems.FromException(exception);
        if (problem is null)
        {
            return false;
        }

        // The message may quote header bytes (patient fields): log the kind and the field only.
        logger.LogInformation("Request {Path} rejected: {ErrorType} (field {Field}, SQLite code {SqliteCode}, SQLSTATE {SqlState})", httpContext.Request.Path, exception.GetType().Name, (exception as EdfFormatException)?.Field ?? (exception as UnscorableStudyException)?.Field, (exception as SqliteException)?.SqliteErrorCode, (exception as PostgresException)?.SqlState);
        await problem.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }
}
