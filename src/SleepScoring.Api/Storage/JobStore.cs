using Dapper;

using Microsoft.Data.Sqlite;

namespace SleepScoring.Api.Storage;

/// <summary>A claimed scoring job.</summary>
public sealed record ClaimedJob(long Id, string StudyId, long Attempts);

/// <summary>
/// The durable queue in the <c>jobs</c> table: claim the oldest due job (atomically, one statement),
/// reschedule it after a transient failure, fail it for good, and at start put back jobs that a
/// dead process left running.
/// </summary>
public sealed class JobStore(Database database)
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
    /// Requeues jobs left running by a process that died (the data-folder lock guarantees none is
    /// running now). Their attempt is not counted against them: a kill is not the study's fault.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int jobs = await c.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), claimed_by = NULL, next_attempt_at = @now, last_error = 'recovered after a restart' WHERE status = 'running'",
            new { now = Clock.Now() },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE studies SET status = 'queued', stage = NULL, progress_percent = 0 WHERE status = 'scoring'", transaction: tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return jobs;
    }

    /// <summary>Jobs by status, for /ready and the tests.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM jobs GROUP BY status").ConfigureAwait(false);
        return rows.ToDictionary(r => r.Status, r => (int)r.Count);
    }
}
