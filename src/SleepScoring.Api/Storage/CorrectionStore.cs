using Dapper;

using Microsoft.Data.Sqlite;

namespace SleepScoring.Api.Storage;

/// <summary>One requested correction.</summary>
public sealed record StageChange(int Epoch, string Stage, string? Reason);

/// <summary>One row of the append-only audit.</summary>
public sealed record CorrectionRecord(long Id, string StudyId, long Epoch, string OldStage, string NewStage, string? Reason, string CorrectedBy, string CorrectedAt);

/// <summary>
/// Applies stage corrections: for each change, the epoch's scorer stage is set and an audit row
/// (who, when, old and new stage, reason) appended, all in one transaction.
/// </summary>
public sealed class CorrectionStore(Database database)
{
    /// <summary>Applies the changes; returns the audit rows written (one per change).</summary>
    public async Task<IReadOnlyList<CorrectionRecord>> ApplyAsync(string studyId, IReadOnlyList<StageChange> changes, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        string at = Clock.Now();
        var written = new List<CorrectionRecord>(changes.Count);
        foreach (StageChange change in changes)
        {
            string old = await c.ExecuteScalarAsync<string>(
                "SELECT COALESCE(scorer_stage, model_stage) FROM epochs WHERE study_id = @studyId AND epoch = @Epoch",
                new { studyId, change.Epoch },
                tx).ConfigureAwait(false) ?? throw new InvalidOperationException($"epoch {change.Epoch} is not in study {studyId}");
            await c.ExecuteAsync("UPDATE epochs SET scorer_stage = @Stage WHERE study_id = @studyId AND epoch = @Epoch", new { studyId, change.Epoch, change.Stage }, tx).ConfigureAwait(false);
            long id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO stage_corrections (study_id, epoch, old_stage, new_stage, reason, corrected_by, corrected_at) VALUES (@studyId, @Epoch, @old, @Stage, @Reason, @keyId, @at) RETURNING id",
                new { studyId, change.Epoch, old, change.Stage, change.Reason, keyId, at },
                tx).ConfigureAwait(false);
            written.Add(new CorrectionRecord(id, studyId, change.Epoch, old, change.Stage, change.Reason, keyId, at));
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>The audit of a study, oldest first.</summary>
    public async Task<IReadOnlyList<CorrectionRecord>> ListAsync(string studyId, CancellationToken cancellationToken)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await c.QueryAsync<CorrectionRecord>(
            "SELECT id AS Id, study_id AS StudyId, epoch AS Epoch, old_stage AS OldStage, new_stage AS NewStage, reason AS Reason, corrected_by AS CorrectedBy, corrected_at AS CorrectedAt FROM stage_corrections WHERE study_id = @studyId ORDER BY id",
            new { studyId }).ConfigureAwait(false)];
    }
}
