using System.Globalization;
using System.Text.Json.Nodes;

using SleepScoring.CommandLine;
using SleepScoring.Inference;
using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
using SleepScoring.Lab.Evaluation;
using SleepScoring.Model;
using SleepScoring.Training.Data;
using SleepScoring.Training.Export;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Training;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// <c>sleepscore-lab evaluate</c>: scores every night of a data folder (or of <c>--subjects</c>) with a
/// model folder written by <c>train</c> (images drawn as its training.json says), prints the
/// metrics and writes them to <c>&lt;model&gt;/evaluation.json</c>, pooled and per night. Sleep
/// period ± 30 min of wake by default; unscored epochs never count. When the folder holds the
/// integer model (model-card.json), the report adds the integer model as the service runs it (ONNX
/// Runtime): its metrics, agreement with the float model, the calibration curve of its confidence
/// and the deletion test of its saliency.
/// </summary>
internal sealed class EvaluateVerb : IVerb
{
    /// <summary>The report's file name inside the model folder.</summary>
    public const string ReportFile = "evaluation.json";

    private static readonly double[] DeletionFractions = [0.05, 0.1, 0.2, 0.3, 0.5];

    /// <summary>Saliency variants the deletion test compares; the first is the service's (rollout weighted by cell content).</summary>
    private static readonly (double ResidualShare, int LastLayers, bool Content)[] SaliencyVariants =
        [(AttentionRollout.DefaultResidualShare, int.MaxValue, true), (AttentionRollout.DefaultResidualShare, int.MaxValue, false), (0.0, int.MaxValue, false), (0.0, 1, false)];

    public string Name => "evaluate";

    public string Arguments => "--model <dir> --data <dir> [--subjects A,B] [--whole-recording] [--deletion N] [--encoder-alone] [--threads N]";

    public string Summary => "score PSG/hypnogram pairs with a trained model folder: accuracy, kappa, F1, confusion; integer vs float, calibration, deletion test (JSON in the model folder)";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--data", "--threads", "--subjects", "--deletion"], ["--whole-recording", "--encoder-alone"]);
        string modelDirectory = options.Required("--model");
        string data = options.Required("--data");
        bool whole = options.Has("--whole-recording");
        int threads = options.PositiveOr("--threads", Environment.ProcessorCount);
        int deletionPerNight = options.Optional("--deletion") is null ? 0 : options.PositiveOr("--deletion", 1);
        string[]? subjects = options.Optional("--subjects")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        TorchRuntime.Configure(threads);

        (var classifier, var sequence, TrainingRecord record) = FloatModelDirectory.Load(modelDirectory);
        using (classifier)
        using (sequence)
        {
            IReadOnlyList<LoadedNight> nights = TrainingFolder.Load(data, NightImageOptions.From(record.Image, whole, threads), Console.Error);
            if (subjects is not null)
            {
                nights = [.. nights.Where(n => subjects.Contains(n.Pair.SubjectId, StringComparer.Ordinal))];
                if (nights.Count == 0)
                {
                    throw new TrainingDataException($"--subjects {string.Join(',', subjects)}: no night of '{data}' belongs to these subjects.");
                }
            }

            var floatByNight = new Dictionary<NightImages, float[,]>();
            (ConfusionMatrix pooled, JsonObject report) = NightEvaluation.Run(
                night => floatByNight[night] = NightScorer.Probabilities(classifier.Encoder, sequence, night), nights, sleepPeriodOnly: !whole);
            report.Insert(0, "model", Path.GetFullPath(modelDirectory));
            report.Insert(1, "data", Path.GetFullPath(data));
            report.Insert(2, "counted", whole ? "whole recording" : "sleep period ± 30 min of wake");
            TrainingFolder.Write(output, "pooled, float", StagingMetrics.From(pooled));
            if (options.Has("--encoder-alone"))
            {
                // Ablation: each epoch from its own image, without the inter-epoch model.
                (ConfusionMatrix alone, JsonObject aloneReport) = NightEvaluation.Run(night => NightScorer.EncoderAloneProbabilities(classifier, night), nights, sleepPeriodOnly: !whole);
                aloneReport.Remove("nights");
                report["encoder_alone"] = aloneReport;
                TrainingFolder.Write(output, "pooled, float encoder alone (no neighbours)", StagingMetrics.From(alone));
            }

            if (File.Exists(Path.Combine(modelDirectory, ModelCard.FileName)))
            {
                report["integer_onnx_runtime"] = Integer(modelDirectory, nights, floatByNight, deletionPerNight, threads, output);
            }

            string path = Path.Combine(modelDirectory, ReportFile);
            File.WriteAllText(path, report.ToJsonString(ModelCard.Json));
            foreach (JsonNode? night in report["nights"]!.AsArray())
            {
                output.WriteLine(night!["accuracy"] is JsonNode accuracy
                    ? string.Create(CultureInfo.InvariantCulture, $"  {night["name"]}: accuracy {accuracy.GetValue<double>():P1}, kappa {night["kappa"]!.GetValue<double>():F3}, {night["epochs"]} epochs")
                    : $"  {night["name"]}: no epoch counted");
            }

            output.WriteLine(path);
        }

        return VerbDispatcher.Success;
    }

    /// <summary>The integer model on ONNX Runtime against the float model's probabilities of the same nights.</summary>
    private static JsonObject Integer(string modelDirectory, IReadOnlyList<LoadedNight> nights, Dictionary<NightImages, float[,]> floatByNight, int deletionPerNight, int threads, TextWriter output)
    {
        using StagingModel model = StagingModel.Load(modelDirectory, new InferenceOptions { Workers = 1, Threads = Math.Min(threads, 2) });
        var scorer = new IntegerNightScorer(model);
        var comparison = new FloatIntegerComparison();
        var cases = SaliencyVariants.Select(_ => new List<DeletionCase>()).ToArray();
        foreach (LoadedNight night in nights)
        {
            // One encoder pass per night serves the comparison and, with its attention, the deletion cases.
            var scored = scorer.Score(night.Images, explain: deletionPerNight > 0);
            comparison.Add(night.Images, floatByNight[night.Images], scored.Probabilities);
            if (deletionPerNight > 0)
            {
                IReadOnlyList<IReadOnlyList<DeletionCase>> perVariant = scorer.DeletionCases(night.Images, scored, deletionPerNight, SaliencyVariants);
                for (int v = 0; v < SaliencyVariants.Length; v++)
                {
                    cases[v].AddRange(perVariant[v]);
                }
            }
        }

        JsonObject report = comparison.ToJson();
        report.Insert(0, "model_version", model.Card.Version);
        CalibrationCurve curve = comparison.IntegerCalibration();
        report["calibration_bins"] = new JsonArray([.. curve.Bins.Where(b => b.Count > 0).Select(b => (JsonNode)new JsonObject
        {
            ["lower"] = b.Lower,
            ["upper"] = b.Upper,
            ["epochs"] = b.Count,
            ["mean_confidence"] = b.MeanConfidence,
            ["accuracy"] = b.Accuracy,
        })]);
        TrainingFolder.Write(output, string.Create(CultureInfo.InvariantCulture, $"pooled, integer on ONNX Runtime (same stage as float on {comparison.Agreement:P1}, ECE {curve.ExpectedCalibrationError:F3})"), StagingMetrics.From(comparison.Integer));
        if (cases[0].Count > 0)
        {
            var variants = new JsonArray();
            for (int v = 0; v < SaliencyVariants.Length; v++)
            {
                (double share, int layers, bool weighted) = SaliencyVariants[v];
                IReadOnlyList<DeletionPoint> points = DeletionTest.Measure(model, cases[v], DeletionFractions);
                string name = string.Create(CultureInfo.InvariantCulture, $"rollout of {(layers >= 1000 ? "all layers" : $"the last {layers} layer(s)")}, residual share {share}{(weighted ? " × cell content" : string.Empty)}{(v == 0 ? " (the service's saliency)" : string.Empty)}");
                variants.Add(new JsonObject
                {
                    ["saliency"] = name,
                    ["epochs"] = cases[v].Count,
                    ["points"] = new JsonArray([.. points.Select(p => (JsonNode)new JsonObject
                    {
                        ["fraction"] = p.Fraction,
                        ["saliency_drop"] = p.SaliencyDrop,
                        ["random_drop"] = p.RandomDrop,
                        ["ratio"] = double.IsFinite(p.Ratio) ? p.Ratio : null,
                    })]),
                });
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deletion test, {cases[v].Count} epochs, {name}: masked fraction | drop of the stage probability, top saliency cells | random cells | ratio"));
                foreach (DeletionPoint p in points)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Fraction:P0} | {p.SaliencyDrop:F4} | {p.RandomDrop:F4} | {p.Ratio:F2}"));
                }
            }

            report["deletion_test"] = variants;
        }

        return report;
    }
}
