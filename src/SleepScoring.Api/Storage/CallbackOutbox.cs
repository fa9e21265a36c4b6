using System.Data.Common;
using System.Security.Cryptography;
using System.Text;

using Dapper;

using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;

/// <summary>What a callback tells its receiver, and where and with which secret it is sent.</summary>
public sealed record CallbackTarget(string? Url, string? Secret, string Status, string? ModelName, string? ModelVersion, string? ErrorType, string? ErrorDetail);

/// <summary>
/// A claimed callback: its study, and the event's id — the same for every delivery of this finish
/// (retries, and a second node's delivery after the first died before recording it), new for the
/// study's next finish (after a rescore). Receivers deduplicate by it.
/// </summary>
public sealed record ClaimedCallback(string StudyId, string EventId)
{
    /// <summary>The event id of the outbox row added for <paramref name="studyId"/> at <paramref name="createdAt"/>: derived, so every node computes the same.</summary>
    public static string EventIdOf(string studyId, string createdAt) =>
        "evt_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{studyId}\n{createdAt}")))[..32];
}

/// <summary>How one delivery ended.</summary>
public sealed record CallbackOutcome(string Url, bool Delivered, int Attempts, int? LastStatus, string? LastError);

/// <summary>
/// The callbacks still to deliver (<c>callback_outbox</c>). The transaction that finishes a study
/// (scored or failed) adds its row (<see cref="AddAsync"/>); any node claims a row under a lease,
/// skipping rows other nodes hold, posts the callback without holding a connection, then records
/// the delivery and removes the row in one transaction, only while its claim still holds the row:
/// each finish is delivered by one node, and a node that dies mid-delivery leaves the row to another
/// once the lease runs out (the receiver may then see the callback twice, with the same
/// <see cref="ClaimedCallback.EventId"/>, by which it deduplicates).
/// </summary>
public sealed class CallbackOutbox(ISqlDatabase database, TimeProvider time) : ICallbackOutbox
{
    private string Now => StoredTime.Format(time.GetUtcNow());

    /// <summary>Queues the callbacks of the finished studies of <paramref name="studyIds"/> that have a callback URL, inside the finishing transaction.</summary>
    internal static Task AddAsync(DbConnection c, DbTransaction tx, SqlDialect sql, IReadOnlyCollection<string> studyIds, string now) =>
        studyIds.Count == 0
            ? Task.CompletedTask
            : c.ExecuteAsync(
                $"INSERT INTO callback_outbox (study_id, created_at) SELECT id, @now FROM studies WHERE {sql.IsIn("id", "@studyIds")} AND callback_url IS NOT NULL ON CONFLICT (study_id) DO NOTHING",
                new { studyIds = studyIds.ToArray(), now },
                tx);

    /// <summary>Claims the oldest callback no live claim holds, for <paramref name="lease"/>; its study and event id, or null.</summary>
    public async Task<ClaimedCallback?> ClaimAsync(string claim, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        OutboxRow? row = await c.QuerySingleOrDefaultAsync<OutboxRow>(
            $"""
            UPDATE callback_outbox SET claimed_by = @claim, lease_expires_at = @until
            WHERE study_id = (SELECT study_id FROM callback_outbox WHERE claimed_by IS NULL OR lease_expires_at < @now ORDER BY created_at, study_id LIMIT 1 {database.Dialect.SkipLocked})
            RETURNING study_id AS StudyId, created_at AS CreatedAt
            """,
            new { claim, now = Now, until = StoredTime.Format(time.GetUtcNow() + lease) }).ConfigureAwait(false);
        return row is null ? null : new ClaimedCallback(row.StudyId, ClaimedCallback.EventIdOf(row.StudyId, row.CreatedAt));
    }

    /// <summary>A claimed outbox row as read (Dapper's target).</summary>
    private sealed record OutboxRow(string StudyId, string CreatedAt);

    /// <summary>The callback of a study (its state now), or null when the study is gone.</summary>
    public async Task<CallbackTarget?> TargetAsync(string studyId, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<CallbackTarget>(
            """
            SELECT s.callback_url AS Url, k.callback_secret AS Secret, s.status AS Status, s.model_name AS ModelName, s.model_version AS ModelVersion, s.error_type AS ErrorType, s.error_detail AS ErrorDetail
            FROM studies s LEFT JOIN api_keys k ON k.id = s.uploaded_by
            WHERE s.id = @studyId
            """,
            new { studyId }).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the claimed row and records <paramref name="outcome"/> (null: nothing was sent, e.g. the
    /// uploader has no callback secret); false, and nothing recorded, when the claim no longer holds the row.
    /// </summary>
    public async Task<bool> CompleteAsync(string studyId, string claim, CallbackOutcome? outcome, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteAsync("DELETE FROM callback_outbox WHERE study_id = @studyId AND claimed_by = @claim", new { studyId, claim }, tx).ConfigureAwait(false) != 1)
        {
            return false;
        }

        if (outcome is not null)
        {
            await c.ExecuteAsync(
                "INSERT INTO callback_deliveries (study_id, url, status, attempts, last_status, last_error, finished_at) VALUES (@studyId, @Url, @status, @Attempts, @LastStatus, @LastError, @at)",
                new { studyId, outcome.Url, status = (outcome.Delivered ? CallbackDeliveryStatus.Delivered : CallbackDeliveryStatus.Failed).ToText(), outcome.Attempts, outcome.LastStatus, outcome.LastError, at = Now },
                tx).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
