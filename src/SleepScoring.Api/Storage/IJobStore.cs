namespace SleepScoring.Api.Storage;

/// <summary>
/// The durable scoring queue, whatever the provider: claim the oldest due job (each job by one
/// claimer only), reschedule it after a transient failure, fail it for good, give it back on a
/// graceful stop, queue a failed one again, and recover jobs a dead process left running.
/// </summary>
public interface IJobStore
{
    /// <summary>Claims the oldest queued job that is due, or returns null.</summary>
    Task<ClaimedJob?> ClaimAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Puts the job back in the queue after a transient failure, due after <paramref name="delay"/>.</summary>
    Task RescheduleAsync(long id, string studyId, TimeSpan delay, string error, CancellationToken cancellationToken);

    /// <summary>Fails the job and its study for good.</summary>
    Task FailAsync(long id, string studyId, string errorType, string error, CancellationToken cancellationToken);

    /// <summary>Counts an interruption of each running job; fails those interrupted <paramref name="maxInterruptions"/> times and queues the others again.</summary>
    Task<(int Requeued, IReadOnlyList<string> Failed)> RecoverAsync(int maxInterruptions, CancellationToken cancellationToken);

    /// <summary>Gives a running job back to the queue when the service stops on purpose: neither an attempt nor an interruption.</summary>
    Task ReleaseAsync(long id, string studyId, CancellationToken cancellationToken);

    /// <summary>Queues a failed study's job again as if new; false when the study is not failed.</summary>
    Task<bool> RequeueFailedAsync(string studyId, CancellationToken cancellationToken);

    /// <summary>Jobs by status.</summary>
    Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken);
}
