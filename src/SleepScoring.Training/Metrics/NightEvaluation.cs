using System.Text.Json;
using System.Text.Json.Nodes;

using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Training;

namespace SleepScoring.Training.Metrics;

/// <summary>
/// Scores nights with <see cref="NightScorer"/> and reports <see cref="StagingMetrics"/> pooled
/// and per night: the JSON object has the pooled keys (accuracy, kappa, macro_f1, per_class_f1,
/// confusion, epochs) and a <c>nights</c> array with the same keys plus name, subject and night.
/// </summary>
public static class NightEvaluation
{
    /// <summary>Evaluates <paramref name="nights"/>; nights with no counted epoch are listed with epochs 0.</summary>
    public static (ConfusionMatrix Pooled, JsonObject Report) Run(EpochEncoder encoder, InterEpochTransformer sequence, IEnumerable<LoadedNight> nights, bool sleepPeriodOnly) =>
        Run(night => NightScorer.Probabilities(encoder, sequence, night), nights, sleepPeriodOnly);

    /// <summary>As above, for any model that gives stage probabilities [Count, 5] per night (e.g. the integer simulation).</summary>
    public static (ConfusionMatrix Pooled, JsonObject Report) Run(Func<NightImages, float[,]> model, IEnumerable<LoadedNight> nights, bool sleepPeriodOnly)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(nights);
        var pooled = new ConfusionMatrix();
        var perNight = new JsonArray();
        foreach (LoadedNight night in nights)
        {
            ConfusionMatrix matrix = NightScorer.Evaluate(model, new EpochDataset([night.Images]), sleepPeriodOnly);
            pooled.Add(matrix);
            JsonObject entry = matrix.Total == 0 ? new JsonObject { ["epochs"] = 0 } : ToJson(StagingMetrics.From(matrix));
            entry.Insert(0, "name", night.Pair.Name);
            entry.Insert(1, "subject", night.Pair.SubjectId);
            entry.Insert(2, "night", night.Pair.NightId);
            perNight.Add(entry);
        }

        JsonObject report = ToJson(StagingMetrics.From(pooled));
        report["nights"] = perNight;
        return (pooled, report);
    }

    /// <summary>The metrics as a JSON object with their report keys.</summary>
    public static JsonObject ToJson(StagingMetrics metrics) => JsonSerializer.SerializeToNode(metrics)!.AsObject();
}
