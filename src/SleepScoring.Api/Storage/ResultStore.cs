using System.Data.Common;
using System.Text.Json;

using Dapper;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage.Sql;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Storage;

/// <summary>One epoch of a finished run as it is stored: its index, the model's stage and the contract's epoch object (JSON text).</summary>
public sealed record EpochToStore(int Index, string Stage, string Detail);

/// <summary>What a finished run stores besides its epochs: the model, scoring's warnings, the derivations read, the review threshold and the lights period used.</summary>
public sealed record ResultToStore(
    IReadOnlyList<EpochToStore> Epochs,
    string ModelName,
    string ModelVersion,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<DerivationUsed> Derivations,
    double ReviewThreshold,
    double? LightsOff,
    double? LightsOn);

/// <summary>Scored results: the one typed reader of a study's epochs, and their idempotent write.</summary>
public interface IResultStore
{
    /// <summary>The study (null when absent) and, when it is scored, its result.</summary>
    Task<(Study? Study, ScoredResult? Result)> LoadAsync(string studyId, CancellationToken cancellationToken);

    /// <summary>The study (null when absent) and, when it is scored and has it, one epoch read alone.</summary>
    Task<(Study? Study, EpochResult? Epoch)> LoadEpochAsync(string studyId, int epoch, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction, while <paramref name="job"/>'s claim still holds the job: marks the job done,
    /// replaces the study's epoch rows, marks the study scored and queues its callback, then runs
    /// <paramref name="beforeCommit"/> (the result file goes into place under the transaction's lock).
    /// False, and nothing written, when the claim no longer holds the job.
    /// </summary>
    Task<bool> StoreAsync(ClaimedJob job, ResultToStore result, Action beforeCommit, CancellationToken cancellationToken);
}

/// <summary>The <c>epochs</c> table and the scoring columns of <c>studies</c>, for both providers.</summary>
public sealed class ResultStore(ISqlDatabase database, IStudyStore studies, TimeProvider time) : IResultStore
{
    private const string EpochColumns = "epoch AS Epoch, model_stage AS ModelStage, scorer_stage AS ScorerStage, detail AS Detail";

    public async Task<(Study? Study, ScoredResult? Result)> LoadAsync(string studyId, CancellationToken cancellationToken)
    {
        Study? study = await studies.GetAsync(studyId, cancellationToken).ConfigureAwait(false);
        if (study is not { Status: StudyStatus.Scored })
        {
            return (study, null);
        }

        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<EpochRow>($"SELECT {EpochColumns} FROM epochs WHERE study_id = @studyId ORDER BY epoch", new { studyId }).ConfigureAwait(false);
        return (study, new ScoredResult(study, [.. rows.Select(r => r.ToEpoch(studyId))]));
    }

    public async Task<(Study? Study, EpochResult? Epoch)> LoadEpochAsync(string studyId, int epoch, CancellationToken cancellationToken)
    {
        Study? study = await studies.GetAsync(studyId, cancellationToken).ConfigureAwait(false);
        if (study is not { Status: StudyStatus.Scored } || epoch < 0)
        {
            return (study, null);
        }

        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        EpochRow? row = await c.QuerySingleOrDefaultAsync<EpochRow>($"SELECT {EpochColumns} FROM epochs WHERE study_id = @studyId AND epoch = @epoch", new { studyId, epoch }).ConfigureAwait(false);
        return (study, row?.ToEpoch(studyId));
    }

    public async Task<bool> StoreAsync(ClaimedJob job, ResultToStore result, Action beforeCommit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(beforeCommit);
        string studyId = job.StudyId;
        string now = StoredTime.Format(time.GetUtcNow());
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteAsync(
            $"UPDATE jobs SET status = '{JobStateText.Done}', claimed_by = NULL, lease_expires_at = NULL, finished_at = @now WHERE id = @Id AND status = '{JobStateText.Running}' AND claimed_by = @Claim",
            new { job.Id, job.Claim, now },
            tx).ConfigureAwait(false) != 1)
        {
            return false;
        }

        await c.ExecuteAsync("DELETE FROM epochs WHERE study_id = @studyId", new { studyId }, tx).ConfigureAwait(false);
        await InsertEpochsAsync(c, tx, studyId, result.Epochs).ConfigureAwait(false);
        await c.ExecuteAsync(
            $"""
            UPDATE studies SET status = '{StudyStatusText.Scored}', stage = NULL, progress_percent = 100, model_name = @ModelName, model_version = @ModelVersion,
                               scoring_warnings = @warnings, derivations = @derivations, review_threshold = @ReviewThreshold, epoch_count = @epochs, scored_at = @now,
                               analysed_lights_off = @LightsOff, analysed_lights_on = @LightsOn, error_type = NULL, error_detail = NULL
            WHERE id = @studyId
            """,
            new { studyId, result.ModelName, result.ModelVersion, warnings = JsonSerializer.Serialize(result.Warnings), derivations = StoredJson.Serialize(result.Derivations), result.ReviewThreshold, epochs = result.Epochs.Count, now, result.LightsOff, result.LightsOn },
            tx).ConfigureAwait(false);
        await CallbackOutbox.AddAsync(c, tx, database.Dialect, [studyId], now).ConfigureAwait(false);
        beforeCommit();
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The night's epoch rows. On PostgreSQL one statement, whatever the night's length (unnest of one
    /// array per column): every statement there is a round trip to the server, and one per epoch (960 a
    /// night) made the write a second's worth of round trips on a loaded host. On SQLite a statement per
    /// row, as before: a call into this process (the same prepared statement each time), not a round trip.
    /// </summary>
    private Task InsertEpochsAsync(DbConnection c, DbTransaction tx, string studyId, IReadOnlyList<EpochToStore> epochs) =>
        database.Dialect.BindsArrays
            ? c.ExecuteAsync(
                "INSERT INTO epochs (study_id, epoch, model_stage, detail) SELECT @studyId, e.epoch, e.stage, e.detail FROM unnest(@indexes, @stages, @details) AS e (epoch, stage, detail)",
                new { studyId, indexes = epochs.Select(e => e.Index).ToArray(), stages = epochs.Select(e => e.Stage).ToArray(), details = epochs.Select(e => e.Detail).ToArray() },
                tx)
            : c.ExecuteAsync(
                "INSERT INTO epochs (study_id, epoch, model_stage, detail) VALUES (@studyId, @Index, @Stage, @Detail)",
                epochs.Select(e => new { studyId, e.Index, e.Stage, e.Detail }),
                tx);

    /// <summary>A row of <c>epochs</c> as stored.</summary>
    private sealed record EpochRow(long Epoch, string ModelStage, string? ScorerStage, string Detail)
    {
        /// <summary>The one place a stored epoch becomes an <see cref="EpochResult"/>.</summary>
        public EpochResult ToEpoch(string studyId)
        {
            using JsonDocument d = JsonDocument.Parse(Detail);
            return new EpochResult(
                (int)Epoch,
                StoredStage.Parse(studyId, "epochs.model_stage", ModelStage),
                ScorerStage is null ? null : StoredStage.Parse(studyId, "epochs.scorer_stage", ScorerStage),
                Probabilities(d.RootElement),
                Saliency(d.RootElement),
                Detail);
        }

        private static float[] Probabilities(JsonElement epoch)
        {
            float[] p = new float[Hypnogram.ClassCount];
            if (epoch.TryGetProperty("probabilities", out JsonElement probabilities) && probabilities.ValueKind == JsonValueKind.Object)
            {
                p[0] = probabilities.GetProperty("W").GetSingle();
                p[1] = probabilities.GetProperty("N1").GetSingle();
                p[2] = probabilities.GetProperty("N2").GetSingle();
                p[3] = probabilities.GetProperty("N3").GetSingle();
                p[4] = probabilities.GetProperty("R").GetSingle();
            }

            return p;
        }

        private static float[,]? Saliency(JsonElement epoch)
        {
            if (!epoch.TryGetProperty("saliency", out JsonElement saliency) || saliency.ValueKind != JsonValueKind.Object
                || !saliency.TryGetProperty("grid", out JsonElement grid) || grid.ValueKind != JsonValueKind.Array || grid.GetArrayLength() == 0)
            {
                return null;
            }

            int rows = grid.GetArrayLength(), columns = grid[0].GetArrayLength();
            var values = new float[rows, columns];
            for (int d = 0; d < rows; d++)
            {
                for (int t = 0; t < columns; t++)
                {
                    values[d, t] = grid[d][t].GetSingle();
                }
            }

            return values;
        }
    }
}

/// <summary>Stages as the tables store them: the scored-study contract's names (W, N1, N2, N3, R, unscored, artefact).</summary>
internal static class StoredStage
{
    public static string Text(SleepStage stage) => ScoredStudyJson.StageName(stage);

    /// <exception cref="StoredStudyException">The text is no stage name.</exception>
    public static SleepStage Parse(string studyId, string column, string text)
    {
        foreach (SleepStage stage in Enum.GetValues<SleepStage>())
        {
            if (Text(stage) == text)
            {
                return stage;
            }
        }

        throw new StoredStudyException(studyId, column, text, string.Join(", ", Enum.GetValues<SleepStage>().Select(Text)));
    }
}
