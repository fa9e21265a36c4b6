using System.Data.Common;

using Dapper;

using SleepScoring.Analysis;
using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;

/// <summary>
/// Applies stage corrections: for each change, the epoch's scorer stage is set (or withdrawn) and
/// an audit row (who, when, old and new stage, reason, action) appended, all in one transaction
/// that first checks the study is not signed off (a signed hypnogram is locked).
/// </summary>
public sealed class CorrectionStore(ISqlDatabase database, TimeProvider time) : ICorrectionStore
{
    private const string Columns = "id AS Id, study_id AS StudyId, epoch AS Epoch, old_stage AS OldStage, new_stage AS NewStage, reason AS Reason, corrected_by AS CorrectedBy, corrected_at AS CorrectedAt, action AS Action";

    /// <summary>Applies the changes; returns the audit entries written (one per change).</summary>
    /// <exception cref="HypnogramLockedException">The study is signed off.</exception>
    public async Task<IReadOnlyList<Correction>> ApplyAsync(string studyId, IReadOnlyList<StageChange> changes, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await SignOffStore.FindAsync(c, studyId, tx).ConfigureAwait(false) is SignOff signed)
        {
            throw new HypnogramLockedException(studyId, signed);
        }

        DateTimeOffset at = time.GetUtcNow();
        var written = new List<Correction>(changes.Count);
        foreach (StageChange change in changes)
        {
            int epoch = change.Epoch;
            (string model, string? scorer) = await c.QuerySingleOrDefaultAsync<(string, string?)>(
                "SELECT model_stage, scorer_stage FROM epochs WHERE study_id = @studyId AND epoch = @epoch",
                new { studyId, epoch },
                tx).ConfigureAwait(false);
            if (model is null)
            {
                throw new InvalidOperationException($"epoch {epoch} is not in study {studyId}");
            }

            SleepStage modelStage = StoredStage.Parse(studyId, "epochs.model_stage", model);
            SleepStage old = scorer is null ? modelStage : StoredStage.Parse(studyId, "epochs.scorer_stage", scorer);
            SleepStage now = change.Stage ?? modelStage;
            CorrectionAction action = change.Stage is null ? CorrectionAction.Withdraw : now == modelStage ? CorrectionAction.Accept : CorrectionAction.Correct;
            string? stage = change.Stage is SleepStage s ? StoredStage.Text(s) : null;
            await c.ExecuteAsync("UPDATE epochs SET scorer_stage = @stage WHERE study_id = @studyId AND epoch = @epoch", new { studyId, epoch, stage }, tx).ConfigureAwait(false);
            long id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO stage_corrections (study_id, epoch, old_stage, new_stage, reason, corrected_by, corrected_at, action) VALUES (@studyId, @epoch, @old, @now, @Reason, @keyId, @at, @action) RETURNING id",
                new { studyId, epoch, old = StoredStage.Text(old), now = StoredStage.Text(now), change.Reason, keyId, at = StoredTime.Format(at), action = action.ToText() },
                tx).ConfigureAwait(false);
            written.Add(new Correction(id, studyId, epoch, old, now, change.Reason, keyId, at, action));
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>Withdraws the scorer's stage of one epoch (undo): it is unreviewed again. Returns the audit entry.</summary>
    /// <exception cref="HypnogramLockedException">The study is signed off.</exception>
    public async Task<Correction> WithdrawAsync(string studyId, int epoch, string? reason, string keyId, CancellationToken cancellationToken) =>
        (await ApplyAsync(studyId, [new StageChange(epoch, null, reason)], keyId, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The audit of a study, oldest first.</summary>
    public async Task<IReadOnlyList<Correction>> ListAsync(string studyId, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. (await c.QueryAsync<CorrectionRow>(
            $"SELECT {Columns} FROM stage_corrections WHERE study_id = @studyId ORDER BY id",
            new { studyId }).ConfigureAwait(false)).Select(r => r.ToCorrection())];
    }

    /// <summary>A row of <c>stage_corrections</c> as stored.</summary>
    private sealed record CorrectionRow(long Id, string StudyId, long Epoch, string OldStage, string NewStage, string? Reason, string CorrectedBy, string CorrectedAt, string Action)
    {
        public Correction ToCorrection() => new(
            Id,
            StudyId,
            (int)Epoch,
            StoredStage.Parse(StudyId, "stage_corrections.old_stage", OldStage),
            StoredStage.Parse(StudyId, "stage_corrections.new_stage", NewStage),
            Reason,
            CorrectedBy,
            StoredTime.Parse(CorrectedAt) ?? DateTimeOffset.UnixEpoch,
            CorrectionActionText.TryParse(Action, out CorrectionAction action) ? action : throw new StoredStudyException(StudyId, "stage_corrections.action", Action, "correct, accept or withdraw"));
    }
}
