namespace SleepScoring.Api.Storage;

/// <summary>
/// A claimed scoring job. <paramref name="Claim"/> names this one claim (node, process and a fresh
/// id): the job is the claimer's only while <c>jobs.claimed_by</c> still holds it, so a node whose
/// lease was taken over can no longer renew, finish, fail or release the job.
/// </summary>
public sealed record ClaimedJob(long Id, string StudyId, long Attempts, string Claim);

/// <summary>Which running jobs <see cref="IJobStore.RecoverAsync"/> takes back.</summary>
public enum Recovery
{
    /// <summary>Every running job: at the start of the only process (SQLite's data-folder lock says no other runs).</summary>
    EveryRunningJob,

    /// <summary>Only jobs whose lease ran out: their node died or stalled, while other nodes may be scoring.</summary>
    ExpiredLeases,
}

/// <summary>
/// The durable scoring queue, whatever the provider: claim the oldest due job under a lease (each job
/// by one claimer only), renew the lease while scoring, reschedule it after a transient failure, fail
/// it for good, give it back on a graceful stop, queue a failed one again, and take back jobs whose
/// claimer died (counting the interruption; too many fail the study).
/// </summary>
public interface IJobStore
{
    /// <summary>Claims the oldest queued job that is due, leased to <paramref name="claim"/> for <paramref name="lease"/>, or returns null.</summary>
    Task<ClaimedJob?> ClaimAsync(string claim, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends the lease; false when the job is no longer this claim's (taken back after the lease ran out).</summary>
    Task<bool> RenewAsync(ClaimedJob job, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Puts the job back in the queue after a transient failure, due after <paramref name="delay"/>.</summary>
    Task RescheduleAsync(ClaimedJob job, TimeSpan delay, string error, CancellationToken cancellationToken);

    /// <summary>Fails the job and its study for good.</summary>
    Task FailAsync(ClaimedJob job, string errorType, string error, CancellationToken cancellationToken);

    /// <summary>Counts an interruption of each running job in <paramref name="scope"/>; fails those interrupted <paramref name="maxInterruptions"/> times and queues the others again.</summary>
    Task<(int Requeued, IReadOnlyList<string> Failed)> RecoverAsync(Recovery scope, int maxInterruptions, CancellationToken cancellationToken);

    /// <summary>Gives a running job back to the queue when the service stops on purpose: neither an attempt nor an interruption.</summary>
    Task ReleaseAsync(ClaimedJob job, CancellationToken cancellationToken);

    /// <summary>Queues a failed study's job again as if new; false when the study is not failed.</summary>
    Task<bool> RequeueFailedAsync(string studyId, CancellationToken cancellationToken);

    /// <summary>Jobs by status.</summary>
    Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken);
}
