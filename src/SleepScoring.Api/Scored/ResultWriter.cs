using System.Text.Json;

using Dapper;

using Microsoft.Data.Sqlite;

using SleepScoring.Api.Jobs;
using SleepScoring.Api.Storage;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Scored;

/// <summary>
/// Stores a finished scoring run idempotently: the result JSON is written under a temporary name
/// and moved into place (the model signals are in place already), then one transaction replaces the study's epoch rows
/// (keyed by study and epoch), marks the study scored and the job done. Running it twice for the
/// same study (a job retried after a crash) leaves exactly one set of rows.
/// </summary>
public sealed class ResultWriter(Database database, DataFolder folder)
{
    public async Task WriteAsync(long jobId, string studyId, ScoringOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        string json = folder.ResultJson(studyId);
        using (var file = new FileStream(json + ".tmp", OwnerOnly.NewFile()))
        {
            ScoredStudyJson.Write(output.Study, file);
        }

        File.Move(json + ".tmp", json, overwrite: true);

        using JsonDocument document = JsonDocument.Parse(await File.ReadAllBytesAsync(json, cancellationToken).ConfigureAwait(false));
        var rows = document.RootElement.GetProperty("epochs").EnumerateArray().Select(e => new
        {
            studyId,
            epoch = e.GetProperty("index").GetInt32(),
            stage = e.GetProperty("stage").GetString(),
            detail = e.GetRawText(),
        }).ToList();

        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync("DELETE FROM epochs WHERE study_id = @studyId", new { studyId }, tx).ConfigureAwait(false);
        await c.ExecuteAsync("INSERT INTO epochs (study_id, epoch, model_stage, detail) VALUES (@studyId, @epoch, @stage, @detail)", rows, tx).ConfigureAwait(false);
        await c.ExecuteAsync(
            """
            UPDATE studies SET status = 'scored', stage = NULL, progress_percent = 100, model_name = @model, model_version = @version,
                               scoring_warnings = @warnings, derivations = @derivations, review_threshold = @threshold, epoch_count = @epochs, scored_at = @at, analysed_lights_off = @off, analysed_lights_on = @on, error_type = NULL, error_detail = NULL
            WHERE id = @studyId
            """,
            new { studyId, model = output.Study.ModelName, version = output.Study.ModelVersion, warnings = JsonSerializer.Serialize(output.Study.Warnings), derivations = ScoredExtras.Serialize(ModelReads(output)), threshold = output.Study.ReviewThreshold, epochs = rows.Count, at = Clock.Now(), off = output.Study.Recording.LightsOffSeconds, on = output.Study.Recording.LightsOnSeconds },
            tx).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE jobs SET status = 'done', claimed_by = NULL, finished_at = @at WHERE id = @jobId", new { jobId, at = Clock.Now() }, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The derivations the model read, in the order of its conditioned signals (the montage may have found more, e.g. EOG for a model of EEG only).</summary>
    private static DerivationUsed[] ModelReads(ScoringOutput output) =>
        [.. output.SignalNames.Select(name => output.Study.Derivations.FirstOrDefault(d => d.Name == name)).OfType<DerivationUsed>()];
}
