using System.Text.Json.Nodes;

using SleepScoring.CommandLine;
using SleepScoring.Model;
using SleepScoring.Training.Data;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// <c>sleepscore-lab card</c>: writes a cross-validation's results (cv.json of <c>train --folds</c>) into
/// a model folder's card — the float and integer models' pooled metrics, their agreement and
/// calibration, and each fold — so the card carries the figures the model was accepted on.
/// </summary>
internal sealed class CardVerb : IVerb
{
    public string Name => "card";

    public string Arguments => "--model <dir> [--cross-validation <cv.json>] [--sites <bench sites report.json> [--ood-margin nats]]";

    public string Summary => "record a cross-validation (float vs integer metrics) and the site-shift benchmark (with the out-of-distribution limit) in a model folder's card";

    /// <summary>Default margin of the out-of-distribution limit above the largest held-out night's objective (nats).</summary>
    public const double DefaultOodMargin = 0.2;

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--cross-validation", "--sites", "--ood-margin"], []);
        string directory = options.Required("--model");
        if (options.Optional("--cross-validation") is null && options.Optional("--sites") is null)
        {
            throw new UsageException("give --cross-validation, --sites or both.");
        }

        if (options.Optional("--cross-validation") is string cvPath)
        {
            CrossValidation(directory, cvPath, output);
        }

        if (options.Optional("--sites") is string sitesPath)
        {
            double margin = options.Optional("--ood-margin") is string text
                ? double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double m) && m >= 0 ? m : throw new UsageException($"--ood-margin '{text}' is not a number ≥ 0.")
                : DefaultOodMargin;
            SiteShifts.Write(directory, Read(sitesPath, "site-shift report"), sitesPath, margin, output);
        }

        return VerbDispatcher.Success;
    }

    /// <summary>A JSON report as a node; unreadable files are input errors naming the path.</summary>
    internal static JsonNode Read(string path, string what)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) ?? throw new TrainingDataException($"{path} is empty.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new TrainingDataException($"{path}: not a readable {what} ({e.Message}).", e);
        }
    }

    private static void CrossValidation(string directory, string cvPath, TextWriter output)
    {
        JsonNode cv = Read(cvPath, "cross-validation report");

        JsonNode pooled = cv["pooled"] ?? throw new TrainingDataException($"{cvPath} has no 'pooled' results.");
        var folds = (cv["folds"]?.AsArray() ?? []).Select(f => new
        {
            Fold = (int?)f!["fold"],
            TestSubjects = f["test_subjects"]?.AsArray().Select(s => (string?)s).ToArray(),
            FloatAccuracy = (double?)f["accuracy"],
            FloatKappa = (double?)f["kappa"],
            FloatMacroF1 = (double?)f["macro_f1"],
            IntegerAccuracy = (double?)f["integer"]?["accuracy"],
            IntegerKappa = (double?)f["integer"]?["kappa"],
            IntegerMacroF1 = (double?)f["integer"]?["macro_f1"],
            SameStageAsFloat = (double?)f["same_stage_as_float"],
        }).ToArray();
        ModelPackage.SetDetail(directory, "cross_validation", new
        {
            Command = (string?)cv["command"],
            Counted = (string?)cv["counted"],
            Float = pooled.DeepClone().AsObject().Where(p => p.Key is "accuracy" or "kappa" or "macro_f1" or "per_class_f1" or "confusion" or "epochs").ToDictionary(p => p.Key, p => p.Value?.DeepClone()),
            Integer = pooled["integer"]?.DeepClone(),
            SameStageAsFloat = (double?)pooled["same_stage_as_float"],
            FloatExpectedCalibrationError = (double?)pooled["float_expected_calibration_error"],
            SingleDerivation = pooled["single_derivation"]?.DeepClone(),
            Folds = folds,
        });
        output.WriteLine($"cross-validation from {cvPath} written to {Path.Combine(directory, ModelCard.FileName)}");
    }
}
