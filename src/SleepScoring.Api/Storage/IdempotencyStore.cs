using System.Data.Common;

using Dapper;

using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;

/// <summary>The state of an Idempotency-Key when a request arrives with it.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>The key was free: this request holds it until it completes or is released.</summary>
    public sealed record Claimed : IdempotencyClaim;

    /// <summary>Another request with this key is being processed now.</summary>
    public sealed record InProgress : IdempotencyClaim;

    /// <summary>
    /// A request with this key completed: its fingerprint (null for keys stored before fingerprints
    /// existed, which match any request), the study it answered with, and its status code.
    /// </summary>
    public sealed record Done(string? RequestSha256, string StudyId, int Status) : IdempotencyClaim;
}

/// <summary>
/// Idempotency keys as the IETF idempotency-key draft has them: a key is taken (state
/// <c>processing</c>) before the body is read, so concurrent requests with one key make one study;
/// the upload that completes writes its fingerprint and response in the same transaction as its
/// study (<see cref="StudyStore.InsertWithJobAsync"/>); a request that fails releases the key. Keys
/// are scoped to the API key that sent them.
/// </summary>
public sealed class IdempotencyStore(ISqlDatabase database, TimeProvider time) : IIdempotencyStore
{
    public async Task<IdempotencyClaim> ClaimAsync(string apiKeyId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        int inserted = await c.ExecuteAsync(
            $"INSERT INTO idempotency_keys (api_key_id, idempotency_key, state, created_at) VALUES (@apiKeyId, @idempotencyKey, '{IdempotencyKeyStateText.Processing}', @at) ON CONFLICT DO NOTHING",
            new { apiKeyId, idempotencyKey, at = StoredTime.Format(time.GetUtcNow()) }).ConfigureAwait(false);
        if (inserted == 1)
        {
            return new IdempotencyClaim.Claimed();
        }

        (string State, string? RequestSha256, string? StudyId, long? ResponseStatus) row = await c.QuerySingleAsync<(string, string?, string?, long?)>(
            "SELECT state, request_sha256, study_id, response_status FROM idempotency_keys WHERE api_key_id = @apiKeyId AND idempotency_key = @idempotencyKey",
            new { apiKeyId, idempotencyKey }).ConfigureAwait(false);
        return row.State == IdempotencyKeyStateText.Done && row.StudyId is not null
            ? new IdempotencyClaim.Done(row.RequestSha256, row.StudyId, (int)(row.ResponseStatus ?? StatusCodes.Status200OK))
            : new IdempotencyClaim.InProgress();
    }

    /// <summary>Gives a key back after its request failed (a rejected file, a validation problem), so the caller may retry with it.</summary>
    public async Task ReleaseAsync(string apiKeyId, string idempotencyKey)
    {
        await using DbConnection c = await database.OpenAsync().ConfigureAwait(false);
        await c.ExecuteAsync(
            $"DELETE FROM idempotency_keys WHERE api_key_id = @apiKeyId AND idempotency_key = @idempotencyKey AND state = '{IdempotencyKeyStateText.Processing}'",
            new { apiKeyId, idempotencyKey }).ConfigureAwait(false);
    }

    /// <summary>
    /// At start: keys a dead process was processing are free again. With one process (SQLite's
    /// data-folder lock) that is every such key; with nodes sharing the database, only keys taken
    /// before <paramref name="takenBefore"/> (longer ago than any upload lasts), since other nodes may
    /// be receiving the others now.
    /// </summary>
    public async Task<int> ReleaseAbandonedAsync(DateTimeOffset? takenBefore, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return takenBefore is DateTimeOffset before
            ? await c.ExecuteAsync($"DELETE FROM idempotency_keys WHERE state = '{IdempotencyKeyStateText.Processing}' AND created_at < @before", new { before = StoredTime.Format(before) }).ConfigureAwait(false)
            : await c.ExecuteAsync($"DELETE FROM idempotency_keys WHERE state = '{IdempotencyKeyStateText.Processing}'").ConfigureAwait(false);
    }
}
