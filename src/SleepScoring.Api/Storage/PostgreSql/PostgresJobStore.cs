using Dapper;

using Npgsql;

namespace SleepScoring.Api.Storage.PostgreSql;

/// <summary>
/// The <c>jobs</c> queue on PostgreSQL. Many nodes claim at once: the claim locks the oldest due row
/// with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers take different jobs without waiting
/// for each other. <see cref="RecoverAsync"/> keeps SQLite's single-process meaning (every running job
/// is a dead process's); with several nodes it is to be replaced by lease expiry.
/// </summary>
public sealed class PostgresJobStore(PostgresDatabase database) : IJobStore
{
    public async Task<ClaimedJob?> ClaimAsync(string owner, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<ClaimedJob>(
            """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, claimed_by = @owner
            WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id AS Id, study_id AS StudyId, attempts AS Attempts
            """,
            new { owner, now = Clock.Now() }).ConfigureAwait(false);
    }

    public async Task RescheduleAsync(long id, string studyId, TimeSpan delay, string error, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', claimed_by = NULL, next_attempt_at = @due, last_error = @error WHERE id = @id",
            new { id, due = Clock.Format(DateTime.UtcNow + delay), error },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE studies SET status = 'queued', stage = 'waiting to retry', progress_percent = 0 WHERE id = @studyId", new { studyId }, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task FailAsync(long id, string studyId, string errorType, string error, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE jobs SET status = 'failed', claimed_by = NULL, last_error = @error, finished_at = @at WHERE id = @id", new { id, error, at = Clock.Now() }, tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE studies SET status = 'failed', stage = NULL, error_type = @errorType, error_detail = @error WHERE id = @studyId", new { studyId, errorType, error }, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<(int Requeued, IReadOnlyList<string> Failed)> RecoverAsync(int maxInterruptions, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE jobs SET interruptions = interruptions + 1 WHERE status = 'running'", transaction: tx).ConfigureAwait(false);
        string detail = $"the service stopped while scoring this study {maxInterruptions} time(s) (a crash, a kill or running out of memory); it is not tried again automatically (POST …/rescore to try again)";
        string[] failed = [.. await c.QueryAsync<string>(
            "UPDATE jobs SET status = 'failed', claimed_by = NULL, last_error = @detail, finished_at = @now WHERE status = 'running' AND interruptions >= @maxInterruptions RETURNING study_id",
            new { detail, now = Clock.Now(), maxInterruptions },
            tx).ConfigureAwait(false)];
        await c.ExecuteAsync(
            "UPDATE studies SET status = 'failed', stage = NULL, error_type = 'Interrupted', error_detail = @detail WHERE id = ANY(@failed)",
            new { detail, failed },
            tx).ConfigureAwait(false);
        int jobs = await c.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', attempts = GREATEST(attempts - 1, 0), claimed_by = NULL, next_attempt_at = @now, last_error = 'recovered after a restart' WHERE status = 'running'",
            new { now = Clock.Now() },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE studies SET status = 'queued', stage = NULL, progress_percent = 0 WHERE status = 'scoring'", transaction: tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (jobs, failed);
    }

    public async Task ReleaseAsync(long id, string studyId, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', attempts = GREATEST(attempts - 1, 0), claimed_by = NULL, next_attempt_at = @now WHERE id = @id AND status = 'running'",
            new { id, now = Clock.Now() },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE studies SET status = 'queued', stage = NULL, progress_percent = 0 WHERE id = @studyId AND status = 'scoring'", new { studyId }, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RequeueFailedAsync(string studyId, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // FOR UPDATE: two nodes requeueing one study at once do it once.
        if (await c.ExecuteScalarAsync<string?>("SELECT status FROM studies WHERE id = @studyId FOR UPDATE", new { studyId }, tx).ConfigureAwait(false) != StudyStatus.Failed)
        {
            return false;
        }

        await c.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', attempts = 0, interruptions = 0, claimed_by = NULL, next_attempt_at = @now, last_error = NULL, finished_at = NULL WHERE study_id = @studyId",
            new { studyId, now = Clock.Now() },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync(
            "UPDATE studies SET status = 'queued', stage = NULL, progress_percent = 0, error_type = NULL, error_detail = NULL WHERE id = @studyId",
            new { studyId },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM jobs GROUP BY status").ConfigureAwait(false);
        return rows.ToDictionary(r => r.Status, r => (int)r.Count);
    }
}
