using Dapper;

using Microsoft.Data.Sqlite;

namespace SleepScoring.Api.Storage;

/// <summary>A claimed scoring job.</summary>
public sealed record ClaimedJob(long Id, string StudyId, long Attempts);

/// <summary>
/// The durable queue in the <c>jobs</c> table: claim the oldest due job (atomically, one statement),
/// reschedule it after a transient failure, fail it for good, queue a failed one again, and at
/// start put back (or, after too many interruptions, fail) jobs that a dead process left running.
/// </summary>
public sealed class JobStore(Database database) : IJobStore
{
    /// <summary>Claims the oldest queued job that is due, or returns null.</summary>
    public async Task<ClaimedJob?> ClaimAsync(string owner, CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<ClaimedJob>(
            """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, claimed_by = @owner
            WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT 1)
            RETURNING id AS Id, study_id AS StudyId, attempts AS Attempts
            """,
            new { owner, now = Clock.Now() }).ConfigureAwait(false);
    }

    /// <summary>Puts the job back in the queue after a transient failure, due after <paramref name="delay"/>.</summary>
    public async Task RescheduleAsync(long id, string studyId, TimeSpan delay, string error, CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', claimed_by = NULL, next_attempt_at = @due, last_error = @error WHERE id = @id",
            new { id, due = Clock.Format(DateTime.UtcNow + delay), error },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE studies SET status = 'queued', stage = 'waiting to retry', progress_percent = 0 WHERE id = @studyId", new { studyId }, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails the job and its study for good.</summary>
    public async Task FailAsync(long id, string studyId, string errorType, string error, CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE jobs SET status = 'failed', claimed_by = NULL, last_error = @error, finished_at = @at WHERE id = @id", new { id, error, at = Clock.Now() }, tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE studies SET status = 'failed', stage = NULL, error_type = @errorType, error_detail = @error WHERE id = @studyId", new { studyId, errorType, error }, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// At start, for jobs left running by a process that died (the data-folder lock guarantees none
    /// is running now): counts the interruption durably; a job interrupted
    /// <paramref name="maxInterruptions"/> times fails for good (its study may be what kills the
    /// process), the others are queued again without losing an attempt (a kill is not a transient
    /// error of the study).
    /// </summary>
    public async Task<(int Requeued, IReadOnlyList<string> Failed)> RecoverAsync(int maxInterruptions, CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE jobs SET interruptions = interruptions + 1 WHERE status = 'running'", transaction: tx).ConfigureAwait(false);
        string detail = $"the service stopped while scoring this study {maxInterruptions} time(s) (a crash, a kill or running out of memory); it is not tried again automatically (POST …/rescore to try again)";
        string[] failed = [.. await c.QueryAsync<string>(
            "UPDATE jobs SET status = 'failed', claimed_by = NULL, last_error = @detail, finished_at = @now WHERE status = 'running' AND interruptions >= @maxInterruptions RETURNING study_id",
            new { detail, now = Clock.Now(), maxInterruptions },
            tx).ConfigureAwait(false)];
        foreach (string studyId in failed)
        {
            await c.ExecuteAsync(
                "UPDATE studies SET status = 'failed', stage = NULL, error_type = 'Interrupted', error_detail = @detail WHERE id = @studyId",
                new { studyId, detail },
                tx).ConfigureAwait(false);
        }

        int jobs = await c.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), claimed_by = NULL, next_attempt_at = @now, last_error = 'recovered after a restart' WHERE status = 'running'",
            new { now = Clock.Now() },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE studies SET status = 'queued', stage = NULL, progress_percent = 0 WHERE status = 'scoring'", transaction: tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (jobs, failed);
    }

    /// <summary>Gives a running job back to the queue when the service stops on purpose: neither an attempt nor an interruption.</summary>
    public async Task ReleaseAsync(long id, string studyId, CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), claimed_by = NULL, next_attempt_at = @now WHERE id = @id AND status = 'running'",
            new { id, now = Clock.Now() },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE studies SET status = 'queued', stage = NULL, progress_percent = 0 WHERE id = @studyId AND status = 'scoring'", new { studyId }, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a failed study's job again as if new (attempts and interruptions from zero); false when the study is not failed.</summary>
    public async Task<bool> RequeueFailedAsync(string studyId, CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteScalarAsync<string?>("SELECT status FROM studies WHERE id = @studyId", new { studyId }, tx).ConfigureAwait(false) != StudyStatus.Failed)
        {
            return false;
        }

        await RequeueAsync(c, tx, studyId).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The statements of a requeue, inside the caller's transaction.</summary>
    internal static async Task RequeueAsync(SqliteConnection c, SqliteTransaction tx, string studyId)
    {
        await c.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', attempts = 0, interruptions = 0, claimed_by = NULL, next_attempt_at = @now, last_error = NULL, finished_at = NULL WHERE study_id = @studyId",
            new { studyId, now = Clock.Now() },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync(
            "UPDATE studies SET status = 'queued', stage = NULL, progress_percent = 0, error_type = NULL, error_detail = NULL WHERE id = @studyId",
            new { studyId },
            tx).ConfigureAwait(false);
    }

    /// <summary>Jobs by status, for /ready and the tests.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM jobs GROUP BY status").ConfigureAwait(false);
        return rows.ToDictionary(r => r.Status, r => (int)r.Count);
    }
}
