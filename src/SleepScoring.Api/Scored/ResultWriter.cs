using System.Data.Common;
using System.Text.Json;

using Dapper;

using SleepScoring.Api.Jobs;
using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.Sql;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Scored;

/// <summary>
/// Stores a finished scoring run idempotently: the result JSON is written under a temporary name
/// (the model signals are in place already), then one transaction replaces the study's epoch rows
/// (keyed by study and epoch), marks the study scored and the job done and queues its callback,
/// and the JSON is moved into place. Running it twice for the same study (a job retried after a crash) leaves exactly one set
/// of rows. The transaction first marks the job done under the writer's claim: a node whose lease
/// another node took over writes nothing (its rows would be a second result of the same study), and
/// the JSON is moved into place only by the writer that holds the claim.
/// </summary>
public sealed class ResultWriter(ISqlDatabase database, DataFolder folder, TimeProvider time)
{
    /// <summary>Stores the result; false (and nothing written) when the job is no longer <paramref name="job"/>'s claim.</summary>
    public async Task<bool> WriteAsync(ClaimedJob job, ScoringOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(output);
        string studyId = job.StudyId;
        string json = folder.ResultJson(studyId);
        string pending = $"{json}.{job.Id}-{job.Attempts}-{Environment.ProcessId}.tmp"; // two nodes never share a temporary file
        using (var file = new FileStream(pending, OwnerOnly.NewFile()))
        {
            ScoredStudyJson.Write(output.Study, file);
        }

        try
        {
            List<EpochRow> rows = EpochRows(studyId, await File.ReadAllBytesAsync(pending, cancellationToken).ConfigureAwait(false));

            string now = Clock.Format(time.GetUtcNow().UtcDateTime);
            await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (await c.ExecuteAsync(
                "UPDATE jobs SET status = 'done', claimed_by = NULL, lease_expires_at = NULL, finished_at = @now WHERE id = @Id AND status = 'running' AND claimed_by = @Claim",
                new { job.Id, job.Claim, now },
                tx).ConfigureAwait(false) != 1)
            {
                return false;
            }

            await c.ExecuteAsync("DELETE FROM epochs WHERE study_id = @studyId", new { studyId }, tx).ConfigureAwait(false);
            await c.ExecuteAsync("INSERT INTO epochs (study_id, epoch, model_stage, detail) VALUES (@StudyId, @Epoch, @Stage, @Detail)", rows, tx).ConfigureAwait(false);
            await c.ExecuteAsync(
                """
                UPDATE studies SET status = 'scored', stage = NULL, progress_percent = 100, model_name = @model, model_version = @version,
                                   scoring_warnings = @warnings, derivations = @derivations, review_threshold = @threshold, epoch_count = @epochs, scored_at = @at, analysed_lights_off = @off, analysed_lights_on = @on, error_type = NULL, error_detail = NULL
                WHERE id = @studyId
                """,
                new { studyId, model = output.Study.ModelName, version = output.Study.ModelVersion, warnings = JsonSerializer.Serialize(output.Study.Warnings), derivations = StoredJson.Serialize(ModelReads(output)), threshold = output.Study.ReviewThreshold, epochs = rows.Count, at = now, off = output.Study.Recording.LightsOffSeconds, on = output.Study.Recording.LightsOnSeconds },
                tx).ConfigureAwait(false);
            await CallbackOutbox.AddAsync(c, tx, database.Dialect, [studyId], now).ConfigureAwait(false);
            File.Move(pending, json, overwrite: true); // under the claim's row lock (PostgreSQL) or the write lock (SQLite)
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            File.Delete(pending); // gone after the move; left only by a run that wrote nothing
        }
    }

    /// <summary>
    /// One row per element of the result's <c>epochs</c> array, its text as written. Read one epoch
    /// at a time: a JsonDocument of the whole result rents its token table (~the file's size, 32 MB
    /// for 72 h) from the shared array pool, which keeps it after the run.
    /// </summary>
    private static List<EpochRow> EpochRows(string studyId, byte[] json)
    {
        var rows = new List<EpochRow>();
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            if (!reader.ValueTextEquals("epochs"u8))
            {
                reader.Read();
                reader.Skip(); // another top-level member
                continue;
            }

            reader.Read(); // [
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                using JsonDocument epoch = JsonDocument.ParseValue(ref reader);
                JsonElement e = epoch.RootElement;
                rows.Add(new EpochRow(studyId, e.GetProperty("index").GetInt32(), e.GetProperty("stage").GetString(), e.GetRawText()));
            }
        }

        return rows;
    }

    /// <summary>A row of the epochs table (Dapper's parameters).</summary>
    private sealed record EpochRow(string StudyId, int Epoch, string? Stage, string Detail);

    /// <summary>The derivations the model read, in the order of its conditioned signals (the montage may have found more, e.g. EOG for a model of EEG only).</summary>
    private static DerivationUsed[] ModelReads(ScoringOutput output) =>
        [.. output.SignalNames.Select(name => output.Study.Derivations.FirstOrDefault(d => d.Name == name)).OfType<DerivationUsed>()];
}
