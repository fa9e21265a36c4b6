using System.Text.Json.Nodes;

using SleepScoring.CommandLine;
using SleepScoring.Inference.Sensing;
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

    public string Arguments => "--model <dir> [--cross-validation <cv.json>] [--sites <bench sites report.json> [--ood-margin nats]] [--amplitude <training data dir>] [--sensing-filters none|ns:15,lp:20,…]";

    public string Summary => "record a cross-validation (float vs integer metrics), the site-shift benchmark (with the out-of-distribution limit), the training amplitude and the sensing filters in a model folder's card";

    /// <summary>Default margin of the out-of-distribution limit above the largest held-out night's objective (nats).</summary>
    public const double DefaultOodMargin = 0.2;

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--cross-validation", "--sites", "--ood-margin", "--amplitude", "--sensing-filters"], []);
        string directory = options.Required("--model");
        if (new[] { "--cross-validation", "--sites", "--amplitude", "--sensing-filters" }.All(o => options.Optional(o) is null))
        {
            throw new UsageException("give --cross-validation, --sites, --amplitude or --sensing-filters.");
        }

        if (options.Optional("--amplitude") is string data)
        {
            TrainingAmplitude.Write(directory, data, output);
        }

        if (options.Optional("--sensing-filters") is string filters)
        {
            SensingFilters(directory, filters, output);
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

    /// <summary>Sets the filters adaptive sensing tries (the card's <c>sensing.filters</c>), keeping the section's other settings.</summary>
    private static void SensingFilters(string directory, string text, TextWriter output)
    {
        SensingFilter[] filters;
        try
        {
            filters = text == "none" ? [] : [.. text.Split(',').Select(SensingFilter.Parse)];
        }
        catch (FormatException e)
        {
            throw new UsageException($"--sensing-filters: {e.Message}");
        }

        ModelCard card = ModelCard.Load(Path.Combine(directory, ModelCard.FileName));
        SensingOptions sensing = ModelSensing.Options(card) with { Filters = filters };
        // A card without a sensing section (a freshly trained model) keeps no limit: GetValueOrDefault
        // would hand back an undefined element, not null.
        System.Text.Json.JsonElement? section = card.Details is { } details && details.TryGetValue(ModelSensing.SectionName, out System.Text.Json.JsonElement found) ? found : null;
        double? limit = section?.TryGetProperty("ood_threshold", out System.Text.Json.JsonElement l) == true && l.ValueKind == System.Text.Json.JsonValueKind.Number ? l.GetDouble() : null;
        string? calibration = section?.TryGetProperty("ood_calibration", out System.Text.Json.JsonElement c) == true ? c.GetString() : null;
        ModelPackage.SetDetail(directory, ModelSensing.SectionName, ModelSensing.Section(sensing, limit, calibration));
        output.WriteLine($"sensing filters [{string.Join(", ", filters.Select(f => f.Name))}] written to {Path.Combine(directory, ModelCard.FileName)}");
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
