using System.Globalization;
using System.Text.Json.Nodes;

using SleepScoring.CommandLine;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Sensing;
using SleepScoring.Model;
using SleepScoring.Training.Data;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// The card's record of a <c>bench sites</c> report: the table (accuracy and κ per shift and
/// method) in <c>site_shifts</c>, and the out-of-distribution limit of the <c>sensing</c> section —
/// the largest sensing objective of a held-out night as recorded (unshifted, scored as the service
/// scores), plus a margin: a night further from the training data than any the model was checked on.
/// </summary>
internal static class SiteShifts
{
    public static void Write(string directory, JsonNode report, string path, double margin, TextWriter output)
    {
        JsonArray rows = report["shifts"]?.AsArray() ?? throw new TrainingDataException($"{path} has no 'shifts' table.");
        JsonNode[] nights = [.. (report["nights"]?.AsArray() ?? []).OfType<JsonNode>()];
        string method = nights.Any(n => (string?)n["method"] == "sensing") ? "sensing" : "plain";
        // A night read through a filter against broadband noise (a low-pass or the noise floor subtracted) is out of distribution whatever its objective, so it does not set the limit.
        double[] unshifted = [.. nights.Where(n => (string?)n["shift"] == "none" && (string?)n["method"] == method && n["night_objective"] is not null && !ReadThroughLowPass(n)).Select(n => (double)n["night_objective"]!)];
        if (unshifted.Length == 0)
        {
            throw new TrainingDataException($"{path} holds no unshifted night with its objective ('none', {method}, not read through a noise filter); the out-of-distribution limit needs them.");
        }

        double limit = unshifted.Max() + margin;
        ModelPackage.SetDetail(directory, "site_shifts", new
        {
            Command = (string?)report["command"],
            Counted = (string?)report["counted"],
            Rows = rows.DeepClone(),
        });
        ModelCard card = ModelCard.Load(Path.Combine(directory, ModelCard.FileName));
        string calibration = string.Create(CultureInfo.InvariantCulture,
            $"largest night objective of the {unshifted.Length} unshifted held-out nights of {Path.GetFileName(path)} not read through a noise filter ({unshifted.Max():F3}, {method}) + {margin} nats");
        ModelPackage.SetDetail(directory, ModelSensing.SectionName, ModelSensing.Section(ModelSensing.Options(card), limit, calibration));
        JsonNode[] scored = [.. nights.Where(n => (string?)n["method"] == method)];
        bool Above(JsonNode night) => night["night_objective"] is JsonNode o && (double)o! > limit;
        int above = scored.Count(Above);

        // The service's other rule: a night read through a noise filter is out of distribution whatever the limit.
        int flagged = scored.Count(n => Above(n) || ReadThroughLowPass(n));
        string lowPass = scored.Any(n => n["broadband_noise"] is not null)
            ? $"; {flagged} out of distribution counting those read through a noise filter"
            : string.Empty;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"site shifts from {path} written; out-of-distribution limit {limit:F3} ({calibration}); {above} of {scored.Length} benchmark nights ({method}) lie above it{lowPass}"));
    }

    private static bool ReadThroughLowPass(JsonNode night) => night["broadband_noise"]?.GetValue<bool>() == true;
}
