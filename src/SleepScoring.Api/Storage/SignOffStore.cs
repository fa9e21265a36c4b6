using System.Data;
using System.Data.Common;

using Dapper;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;

/// <summary>The study's hypnogram is locked by its sign-off; corrections are refused.</summary>
public sealed class HypnogramLockedException(string studyId, SignOff signOff)
    : Exception($"study {studyId} was signed off by {signOff.SignedByName} ({signOff.SignedBy}) at {StoredTime.Format(signOff.SignedAt)}; its hypnogram is locked")
{
    public string StudyId { get; } = studyId;

    public SignOff SignOff { get; } = signOff;
}

/// <summary>
/// Writes and reads <c>study_signoffs</c> (append-only, one row per study). Signing happens in
/// one write transaction that counts the review state, so a correction racing a sign-off either
/// lands before it (and is counted) or is refused after it.
/// </summary>
public sealed class SignOffStore(ISqlDatabase database, TimeProvider time) : ISignOffStore
{
    private const string Columns = "study_id AS StudyId, signed_by AS SignedBy, signed_by_name AS SignedByName, signed_by_role AS SignedByRole, signed_at AS SignedAt, reviewed_epochs AS ReviewedEpochs, corrected_epochs AS CorrectedEpochs, queue_epochs AS QueueEpochs, queue_reviewed AS QueueReviewed, statement AS Statement";

    /// <summary>
    /// Signs the study off, counting the reviewed epochs and how many of the review queue's
    /// epochs (computed by the caller) are among them; returns the existing sign-off instead when
    /// the study is already signed (nothing is written then).
    /// </summary>
    public async Task<(SignOff SignOff, bool Created)> SignAsync(string studyId, string keyId, string name, string role, IReadOnlyCollection<int> queue, string? statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await FindAsync(c, studyId, tx).ConfigureAwait(false) is SignOff existing)
        {
            return (existing, false);
        }

        var reviewed = (await c.QueryAsync<(long Epoch, bool Corrected)>(
            "SELECT epoch, scorer_stage <> model_stage FROM epochs WHERE study_id = @studyId AND scorer_stage IS NOT NULL",
            new { studyId },
            tx).ConfigureAwait(false)).ToList();
        var reviewedEpochs = reviewed.Select(r => (int)r.Epoch).ToHashSet();
        var record = new SignOff(studyId, keyId, name, role, time.GetUtcNow(), reviewed.Count, reviewed.Count(r => r.Corrected), queue.Count, queue.Count(reviewedEpochs.Contains), statement);
        await c.ExecuteAsync(
            """
            INSERT INTO study_signoffs (study_id, signed_by, signed_by_name, signed_by_role, signed_at, reviewed_epochs, corrected_epochs, queue_epochs, queue_reviewed, statement)
            VALUES (@StudyId, @SignedBy, @SignedByName, @SignedByRole, @SignedAt, @ReviewedEpochs, @CorrectedEpochs, @QueueEpochs, @QueueReviewed, @Statement)
            """,
            new { record.StudyId, record.SignedBy, record.SignedByName, record.SignedByRole, SignedAt = StoredTime.Format(record.SignedAt), record.ReviewedEpochs, record.CorrectedEpochs, record.QueueEpochs, record.QueueReviewed, record.Statement },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (record, true);
    }

    /// <summary>The study's sign-off, or null.</summary>
    public async Task<SignOff?> FindAsync(string studyId, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(c, studyId, null).ConfigureAwait(false);
    }

    /// <summary>The study's sign-off read on an open connection (inside the caller's transaction).</summary>
    internal static async Task<SignOff?> FindAsync(DbConnection connection, string studyId, IDbTransaction? transaction) =>
        (await connection.QuerySingleOrDefaultAsync<SignOffRow>($"SELECT {Columns} FROM study_signoffs WHERE study_id = @studyId", new { studyId }, transaction).ConfigureAwait(false))?.ToSignOff();

    /// <summary>A row of <c>study_signoffs</c> as stored.</summary>
    private sealed record SignOffRow(string StudyId, string SignedBy, string SignedByName, string SignedByRole, string SignedAt, long ReviewedEpochs, long CorrectedEpochs, long QueueEpochs, long QueueReviewed, string? Statement)
    {
        public SignOff ToSignOff() => new(StudyId, SignedBy, SignedByName, SignedByRole, StoredTime.Parse(SignedAt) ?? DateTimeOffset.UnixEpoch, (int)ReviewedEpochs, (int)CorrectedEpochs, (int)QueueEpochs, (int)QueueReviewed, Statement);
    }
}
