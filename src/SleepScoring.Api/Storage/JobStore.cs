using System.Data.Common;

using Dapper;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;

/// <summary>
/// The durable queue in the <c>jobs</c> table, one implementation for both providers. A claim takes
/// the oldest due job in one statement (on PostgreSQL skipping rows another node is claiming) and
/// leases it; every later change of a running job is made only while the claim still holds it, so a
/// node that lost its lease cannot undo the work of the node that took the job over.
/// </summary>
public sealed class JobStore(ISqlDatabase database, TimeProvider time) : IJobStore
{
    private SqlDialect Sql => database.Dialect;

    private string Now => StoredTime.Format(time.GetUtcNow());

    public async Task<ClaimedJob?> ClaimAsync(string claim, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<ClaimedJob>(
            $"""
            UPDATE jobs SET status = '{JobStateText.Running}', attempts = attempts + 1, claimed_by = @claim, lease_expires_at = @until
            WHERE id = (SELECT id FROM jobs WHERE status = '{JobStateText.Queued}' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT 1 {Sql.SkipLocked})
            RETURNING id AS Id, study_id AS StudyId, attempts AS Attempts, claimed_by AS Claim
            """,
            new { claim, now = Now, until = Until(lease) }).ConfigureAwait(false);
    }

    public async Task<bool> RenewAsync(ClaimedJob job, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(
            $"UPDATE jobs SET lease_expires_at = @until WHERE {HeldBy}",
            new { job.Id, job.Claim, until = Until(lease) }).ConfigureAwait(false) == 1;
    }

    public Task RescheduleAsync(ClaimedJob job, TimeSpan delay, string error, CancellationToken cancellationToken) => EndClaimAsync(
        job,
        $"status = '{JobStateText.Queued}', next_attempt_at = @due, last_error = @error",
        $"status = '{StudyStatusText.Queued}', stage = 'waiting to retry', progress_percent = 0",
        finishes: false,
        new { due = StoredTime.Format(time.GetUtcNow() + delay), error },
        cancellationToken);

    public Task FailAsync(ClaimedJob job, string errorType, string error, CancellationToken cancellationToken) => EndClaimAsync(
        job,
        $"status = '{JobStateText.Failed}', last_error = @error, finished_at = @now",
        $"status = '{StudyStatusText.Failed}', stage = NULL, error_type = @errorType, error_detail = @error",
        finishes: true,
        new { errorType, error, now = Now },
        cancellationToken);

    /// <summary>Gives a running job back to the queue when the service stops on purpose: neither an attempt nor an interruption.</summary>
    public Task ReleaseAsync(ClaimedJob job, CancellationToken cancellationToken) => EndClaimAsync(
        job,
        $"status = '{JobStateText.Queued}', attempts = {Sql.Greatest("attempts - 1", "0")}, next_attempt_at = @now",
        $"status = '{StudyStatusText.Queued}', stage = NULL, progress_percent = 0",
        finishes: false,
        new { now = Now },
        cancellationToken);

    /// <summary>
    /// Takes back the running jobs of <paramref name="scope"/>: each counts an interruption durably; a
    /// job interrupted <paramref name="maxInterruptions"/> times fails for good (its study may be what
    /// kills the node), the others are queued again without losing an attempt (a kill is not a
    /// transient error of the study). Nodes recovering at once each take a job back once: the update
    /// re-checks the lease of a row another node changed meanwhile.
    /// </summary>
    public async Task<(int Requeued, IReadOnlyList<string> Failed)> RecoverAsync(Recovery scope, int maxInterruptions, CancellationToken cancellationToken)
    {
        string which = scope == Recovery.EveryRunningJob ? $"status = '{JobStateText.Running}'" : $"status = '{JobStateText.Running}' AND (lease_expires_at IS NULL OR lease_expires_at < @now)";
        string detail = InterruptedDetail(maxInterruptions);
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var taken = (await c.QueryAsync<(string StudyId, string Status)>(
            $"""
            UPDATE jobs SET interruptions = interruptions + 1,
                status = CASE WHEN interruptions + 1 >= @maxInterruptions THEN '{JobStateText.Failed}' ELSE '{JobStateText.Queued}' END,
                attempts = CASE WHEN interruptions + 1 >= @maxInterruptions THEN attempts ELSE {Sql.Greatest("attempts - 1", "0")} END,
                last_error = CASE WHEN interruptions + 1 >= @maxInterruptions THEN @detail ELSE @recovered END,
                finished_at = CASE WHEN interruptions + 1 >= @maxInterruptions THEN @now ELSE NULL END,
                claimed_by = NULL, lease_expires_at = NULL, next_attempt_at = @now
            WHERE {which}
            RETURNING study_id, status
            """,
            new { maxInterruptions, detail, recovered = RecoveredDetail(scope), now = Now },
            tx).ConfigureAwait(false)).ToList();
        string[] failed = [.. taken.Where(t => t.Status == JobStateText.Failed).Select(t => t.StudyId)];
        string[] requeued = [.. taken.Where(t => t.Status == JobStateText.Queued).Select(t => t.StudyId)];
        await c.ExecuteAsync(
            $"UPDATE studies SET status = '{StudyStatusText.Failed}', stage = NULL, error_type = @errorType, error_detail = @detail WHERE {Sql.IsIn("id", "@failed")}",
            new { failed, detail, errorType = StudyFailureCode.Interrupted },
            tx).ConfigureAwait(false);
        await CallbackOutbox.AddAsync(c, tx, Sql, failed, Now).ConfigureAwait(false);
        await c.ExecuteAsync(
            $"UPDATE studies SET status = '{StudyStatusText.Queued}', stage = NULL, progress_percent = 0 WHERE {Sql.IsIn("id", "@requeued")}",
            new { requeued },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (requeued.Length, failed);
    }

    /// <summary>Queues a failed study's job again as if new (attempts and interruptions from zero); false when the study is not failed.</summary>
    public async Task<bool> RequeueFailedAsync(string studyId, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteScalarAsync<string?>("SELECT status FROM studies WHERE id = @studyId", new { studyId }, tx).ConfigureAwait(false) != StudyStatus.Failed.ToText())
        {
            return false;
        }

        await RequeueAsync(c, tx, studyId, Now).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The statements of a requeue, inside the caller's transaction.</summary>
    internal static async Task RequeueAsync(DbConnection c, DbTransaction tx, string studyId, string now)
    {
        await c.ExecuteAsync(
            $"UPDATE jobs SET status = '{JobStateText.Queued}', attempts = 0, interruptions = 0, claimed_by = NULL, lease_expires_at = NULL, next_attempt_at = @now, last_error = NULL, finished_at = NULL WHERE study_id = @studyId",
            new { studyId, now },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync(
            $"UPDATE studies SET status = '{StudyStatusText.Queued}', stage = NULL, progress_percent = 0, error_type = NULL, error_detail = NULL WHERE id = @studyId",
            new { studyId },
            tx).ConfigureAwait(false);
    }

    /// <summary>Jobs by status, for /ready and the tests.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM jobs GROUP BY status").ConfigureAwait(false);
        return rows.ToDictionary(r => r.Status, r => (int)r.Count);
    }

    /// <summary>The study's failure after too many interruptions (shown to callers; no paths, no file text).</summary>
    internal static string InterruptedDetail(int maxInterruptions) =>
        $"the service stopped while scoring this study {maxInterruptions} time(s) (a crash, a kill or running out of memory); it is not tried again automatically (POST …/rescore to try again)";

    private static string RecoveredDetail(Recovery scope) =>
        scope == Recovery.EveryRunningJob ? "recovered after a restart" : "recovered after its node's lease ran out";

    /// <summary>The condition that the job is still running under the caller's claim.</summary>
    private const string HeldBy = $"id = @Id AND status = '{JobStateText.Running}' AND claimed_by = @Claim";

    /// <summary>
    /// Ends a claim: the job row changes (and the claim and lease are cleared) only while the claim
    /// holds it, and the study row changes (and, when the study <paramref name="finishes"/>, its
    /// callback is queued) only when the job did, in one transaction.
    /// </summary>
    private async Task EndClaimAsync(ClaimedJob job, string jobSet, string studySet, bool finishes, object values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var parameters = new DynamicParameters(values);
        parameters.AddDynamicParams(new { job.Id, job.Claim, job.StudyId });
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteAsync($"UPDATE jobs SET {jobSet}, claimed_by = NULL, lease_expires_at = NULL WHERE {HeldBy}", parameters, tx).ConfigureAwait(false) == 1)
        {
            await c.ExecuteAsync($"UPDATE studies SET {studySet} WHERE id = @StudyId", parameters, tx).ConfigureAwait(false);
            if (finishes)
            {
                await CallbackOutbox.AddAsync(c, tx, Sql, [job.StudyId], Now).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private string Until(TimeSpan lease) => StoredTime.Format(time.GetUtcNow() + lease);
}
