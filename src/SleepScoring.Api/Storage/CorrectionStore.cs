using System.Data.Common;

using Dapper;

using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;

/// <summary>One requested correction.</summary>
public sealed record StageChange(int Epoch, string Stage, string? Reason);

/// <summary>One row of the append-only audit; <see cref="Action"/> is <c>correct</c>, <c>accept</c> or <c>withdraw</c> (see <see cref="CorrectionActions"/>).</summary>
public sealed record CorrectionRecord(long Id, string StudyId, long Epoch, string OldStage, string NewStage, string? Reason, string CorrectedBy, string CorrectedAt, string Action);

/// <summary>What an audit row did.</summary>
public static class CorrectionActions
{
    /// <summary>The scorer set a stage unlike the model's.</summary>
    public const string Correct = "correct";

    /// <summary>The scorer confirmed the model's stage.</summary>
    public const string Accept = "accept";

    /// <summary>The scorer's stage was removed (an undo): the epoch is unreviewed again and the model's stage is in force.</summary>
    public const string Withdraw = "withdraw";
}

/// <summary>
/// Applies stage corrections: for each change, the epoch's scorer stage is set (or withdrawn) and
/// an audit row (who, when, old and new stage, reason, action) appended, all in one transaction
/// that first checks the study is not signed off (a signed hypnogram is locked).
/// </summary>
public sealed class CorrectionStore(ISqlDatabase database, TimeProvider time)
{
    private const string Columns = "id AS Id, study_id AS StudyId, epoch AS Epoch, old_stage AS OldStage, new_stage AS NewStage, reason AS Reason, corrected_by AS CorrectedBy, corrected_at AS CorrectedAt, action AS Action";

    /// <summary>Applies the changes; returns the audit rows written (one per change).</summary>
    /// <exception cref="HypnogramLockedException">The study is signed off.</exception>
    public Task<IReadOnlyList<CorrectionRecord>> ApplyAsync(string studyId, IReadOnlyList<StageChange> changes, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return WriteAsync(studyId, keyId, changes.Select(c => (c.Epoch, (string?)c.Stage, c.Reason)).ToList(), cancellationToken);
    }

    /// <summary>Withdraws the scorer's stage of one epoch (undo): it is unreviewed again. Returns the audit row.</summary>
    /// <exception cref="HypnogramLockedException">The study is signed off.</exception>
    public async Task<CorrectionRecord> WithdrawAsync(string studyId, int epoch, string? reason, string keyId, CancellationToken cancellationToken) =>
        (await WriteAsync(studyId, keyId, [(epoch, null, reason)], cancellationToken).ConfigureAwait(false))[0];

    private async Task<IReadOnlyList<CorrectionRecord>> WriteAsync(string studyId, string keyId, List<(int Epoch, string? Stage, string? Reason)> changes, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await SignOffStore.FindAsync(c, studyId, tx).ConfigureAwait(false) is SignOffRecord signed)
        {
            throw new HypnogramLockedException(studyId, signed);
        }

        string at = StoredTime.Format(time.GetUtcNow());
        var written = new List<CorrectionRecord>(changes.Count);
        foreach ((int epoch, string? stage, string? reason) in changes)
        {
            (string model, string? scorer) = await c.QuerySingleOrDefaultAsync<(string, string?)>(
                "SELECT model_stage, scorer_stage FROM epochs WHERE study_id = @studyId AND epoch = @epoch",
                new { studyId, epoch },
                tx).ConfigureAwait(false);
            if (model is null)
            {
                throw new InvalidOperationException($"epoch {epoch} is not in study {studyId}");
            }

            string old = scorer ?? model;
            string action = stage is null ? CorrectionActions.Withdraw : stage == model ? CorrectionActions.Accept : CorrectionActions.Correct;
            await c.ExecuteAsync("UPDATE epochs SET scorer_stage = @stage WHERE study_id = @studyId AND epoch = @epoch", new { studyId, epoch, stage }, tx).ConfigureAwait(false);
            string now = stage ?? model;
            long id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO stage_corrections (study_id, epoch, old_stage, new_stage, reason, corrected_by, corrected_at, action) VALUES (@studyId, @epoch, @old, @now, @reason, @keyId, @at, @action) RETURNING id",
                new { studyId, epoch, old, now, reason, keyId, at, action },
                tx).ConfigureAwait(false);
            written.Add(new CorrectionRecord(id, studyId, epoch, old, now, reason, keyId, at, action));
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>The audit of a study, oldest first.</summary>
    public async Task<IReadOnlyList<CorrectionRecord>> ListAsync(string studyId, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await c.QueryAsync<CorrectionRecord>(
            $"SELECT {Columns} FROM stage_corrections WHERE study_id = @studyId ORDER BY id",
            new { studyId }).ConfigureAwait(false)];
    }
}
