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

    public string Arguments => "--model <dir> --cross-validation <cv.json>";

    public string Summary => "record a cross-validation (float vs integer metrics) in a model folder's card";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--cross-validation"], []);
        string directory = options.Required("--model");
        string cvPath = options.Required("--cross-validation");
        JsonNode cv;
        try
        {
            cv = JsonNode.Parse(File.ReadAllText(cvPath)) ?? throw new TrainingDataException($"{cvPath} is empty.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new TrainingDataException($"{cvPath}: not a readable cross-validation report ({e.Message}).", e);
        }

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
            Folds = folds,
        });
        output.WriteLine($"cross-validation from {cvPath} written to {Path.Combine(directory, ModelCard.FileName)}");
        return VerbDispatcher.Success;
    }
}
