using System.Globalization;
using System.Text.Json.Nodes;

using SleepScoring.Training.Data;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Training;

namespace SleepScoring.Cli.Verbs;

/// <summary>
/// <c>sleepscore evaluate</c>: scores every night of a data folder with a float model saved by
/// <c>train</c> (images drawn as its training.json says), prints the metrics and writes them to
/// <c>&lt;model&gt;/evaluation.json</c>, pooled and per night. Sleep period ± 30 min of wake by
/// default; unscored epochs never count.
/// </summary>
internal sealed class EvaluateVerb : IVerb
{
    /// <summary>The report's file name inside the model folder.</summary>
    public const string ReportFile = "evaluation.json";

    public string Name => "evaluate";

    public string Arguments => "--model <dir> --data <dir> [--whole-recording] [--threads N]";

    public string Summary => "score a folder of PSG/hypnogram pairs with a trained float model: accuracy, kappa, F1, confusion (JSON in the model folder)";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--data", "--threads"], ["--whole-recording"]);
        string modelDirectory = options.Required("--model");
        string data = options.Required("--data");
        bool whole = options.Has("--whole-recording");
        int threads = options.PositiveOr("--threads", Environment.ProcessorCount);
        TorchRuntime.Configure(threads);

        (var classifier, var sequence, TrainingRecord record) = FloatModelDirectory.Load(modelDirectory);
        using (classifier)
        using (sequence)
        {
            IReadOnlyList<LoadedNight> nights = TrainingFolder.Load(data, record.Image.ToOptions(whole, threads), Console.Error);
            (ConfusionMatrix pooled, JsonObject report) = NightEvaluation.Run(classifier.Encoder, sequence, nights, sleepPeriodOnly: !whole);
            report.Insert(0, "model", Path.GetFullPath(modelDirectory));
            report.Insert(1, "data", Path.GetFullPath(data));
            report.Insert(2, "counted", whole ? "whole recording" : "sleep period ± 30 min of wake");
            string path = Path.Combine(modelDirectory, ReportFile);
            File.WriteAllText(path, report.ToJsonString(FloatModelDirectory.Json));

            TrainingFolder.Write(output, "pooled", StagingMetrics.From(pooled));
            foreach (JsonNode? night in report["nights"]!.AsArray())
            {
                output.WriteLine(night!["accuracy"] is JsonNode accuracy
                    ? string.Create(CultureInfo.InvariantCulture, $"  {night["name"]}: accuracy {accuracy.GetValue<double>():P1}, kappa {night["kappa"]!.GetValue<double>():F3}, {night["epochs"]} epochs")
                    : $"  {night["name"]}: no epoch counted");
            }

            output.WriteLine(path);
        }

        return CommandLine.Success;
    }
}
