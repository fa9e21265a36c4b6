namespace SleepScoring.Api.Storage;

/// <summary>Idempotency-Keys of uploads: claimed when a request arrives, given back when it fails, freed at start when a dead process held them.</summary>
public interface IIdempotencyStore
{
    /// <summary>Claims the key for this request, or says who holds it or what it answered.</summary>
    Task<IdempotencyClaim> ClaimAsync(string apiKeyId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Gives a key back after its request failed, so the caller may retry with it.</summary>
    Task ReleaseAsync(string apiKeyId, string idempotencyKey);

    /// <summary>Frees keys a dead process was processing: all of them, or only those taken before <paramref name="takenBefore"/>.</summary>
    Task<int> ReleaseAbandonedAsync(DateTimeOffset? takenBefore, CancellationToken cancellationToken);
}
