using SleepScoring.Api.Domain;

namespace SleepScoring.Api.Storage;

/// <summary>The studies: stored with their scoring job on upload, read, listed, deleted, and their progress and failure recorded while scoring.</summary>
public interface IStudyStore
{
    /// <summary>
    /// Stores an upload with its scoring job in one transaction, or answers with this key's earlier
    /// study of the same request (queued again if it had failed); records the Idempotency-Key's answer
    /// in the same transaction.
    /// </summary>
    Task<(string StudyId, IngestOutcome Outcome)> InsertWithJobAsync(Study upload, string? idempotencyKey, CancellationToken cancellationToken);

    /// <summary>True when this API key uploaded the study (first or again).</summary>
    Task<bool> UploadedByAsync(string id, string apiKeyId, CancellationToken cancellationToken);

    /// <summary>The study, or null when absent.</summary>
    /// <exception cref="StoredStudyException">Its row holds a status this version does not know.</exception>
    Task<Study?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>One page of the studies matching <paramref name="query"/>, with the total.</summary>
    Task<StudyPage> ListAsync(StudyQuery query, CancellationToken cancellationToken);

    /// <summary>Studies being queued or scored, those of <paramref name="alsoIds"/> and those uploaded since <paramref name="uploadedSince"/>; only one key's uploads when <paramref name="uploadedBy"/> is set.</summary>
    Task<IReadOnlyList<Study>> ActiveAsync(IReadOnlyCollection<string> alsoIds, DateTimeOffset uploadedSince, string? uploadedBy, CancellationToken cancellationToken);

    /// <summary>Deletes the study, its job and epochs (the correction audit stays); false when absent.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records the pipeline step and percent of a study being scored; false (nothing written) when <paramref name="job"/> is no longer its claimer's.</summary>
    Task<bool> SetProgressAsync(ClaimedJob job, string stage, double percent, CancellationToken cancellationToken);

    /// <summary>Marks the study failed for good with the error shown to callers.</summary>
    Task SetFailedAsync(string id, string errorType, string detail, CancellationToken cancellationToken);
}
