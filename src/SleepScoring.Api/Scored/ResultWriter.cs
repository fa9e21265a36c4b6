using System.Text.Json;

using SleepScoring.Api.Jobs;
using SleepScoring.Api.Storage;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Scored;

/// <summary>
/// Stores a finished scoring run idempotently: the run wrote the model signals, and here the result
/// JSON, under names of its own claim (<see cref="DataFolder.PendingModelSignals"/>); then one
/// transaction marks the job done under the writer's claim, replaces the study's epoch rows (keyed by
/// study and epoch), marks the study scored and queues its callback, and only inside it are the two
/// files moved into place. Running it twice for the same study (a job retried after a crash) leaves
/// exactly one set of rows. A node whose lease another node took over (it stalled, its lease ran out)
/// writes nothing — no rows, and neither file: its rows and files would be a second result of the
/// same study — and its pending files are removed.
/// </summary>
public sealed class ResultWriter(IResultStore results, DataFolder folder)
{
    /// <summary>Stores the result; false (and nothing written) when the job is no longer <paramref name="job"/>'s claim.</summary>
    public async Task<bool> WriteAsync(ClaimedJob job, ScoringOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(output);
        string studyId = job.StudyId;
        string json = folder.ResultJson(studyId);
        string pending = folder.PendingResultJson(job), pendingSignals = folder.PendingModelSignals(job);
        using (var file = new FileStream(pending, OwnerOnly.NewFile()))
        {
            ScoredStudyJson.Write(output.Study, file);
        }

        try
        {
            List<EpochToStore> epochs = EpochsOf(await File.ReadAllBytesAsync(pending, cancellationToken).ConfigureAwait(false));
            ScoredStudy scored = output.Study;
            var result = new ResultToStore(epochs, scored.ModelName, scored.ModelVersion, scored.Warnings, ModelReads(output), scored.ReviewThreshold, scored.Recording.LightsOffSeconds, scored.Recording.LightsOnSeconds);
            // Both files are moved into place under the claim's row lock (PostgreSQL) or the write lock (SQLite): no other claim can move its files meanwhile.
            return await results.StoreAsync(
                job,
                result,
                () =>
                {
                    File.Move(pendingSignals, folder.ModelSignals(studyId), overwrite: true);
                    File.Move(pending, json, overwrite: true);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Gone after the moves; left only by a run that wrote nothing.
            File.Delete(pending);
            File.Delete(pendingSignals);
        }
    }

    /// <summary>
    /// One row per element of the result's <c>epochs</c> array, its text as written. Read one epoch
    /// at a time: a JsonDocument of the whole result rents its token table (~the file's size, 32 MB
    /// for 72 h) from the shared array pool, which keeps it after the run.
    /// </summary>
    private static List<EpochToStore> EpochsOf(byte[] json)
    {
        var rows = new List<EpochToStore>();
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
                rows.Add(new EpochToStore(e.GetProperty("index").GetInt32(), e.GetProperty("stage").GetString()!, e.GetRawText()));
            }
        }

        return rows;
    }

    /// <summary>The derivations the model read, in the order of its conditioned signals (the montage may have found more, e.g. EOG for a model of EEG only).</summary>
    private static DerivationUsed[] ModelReads(ScoringOutput output) =>
        [.. output.SignalNames.Select(name => output.Study.Derivations.FirstOrDefault(d => d.Name == name)).OfType<DerivationUsed>()];
}
