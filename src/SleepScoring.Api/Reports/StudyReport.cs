using System.Globalization;
using System.Text.Json;

using SleepScoring.Analysis.Statistics;
using SleepScoring.Api.Domain;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Storage;
using SleepScoring.Model;

namespace SleepScoring.Api.Reports;

/// <summary>How far the review got: the clinical queue and all epochs with a scorer's stage.</summary>
public sealed record ReviewSummary(int QueueEpochs, int QueueReviewed, int ReviewedEpochs, int CorrectedEpochs);

/// <summary>The model as the report names it, with the card's headline figures (label, value).</summary>
public sealed record ModelSummary(string Name, string Version, IReadOnlyList<(string Label, string Value)> Figures, string? TrainingData)
{
    /// <summary>Figures from <paramref name="card"/> when it is the card of the model that scored the study; none otherwise.</summary>
    public static ModelSummary Of(string name, string version, ModelCard? card)
    {
        if (card is null || card.Name != name || card.Version != version || card.Details is null)
        {
            return new ModelSummary(name, version, [], null);
        }

        var figures = new List<(string, string)>();
        if (Find(card.Details, "cross_validation", "integer") is JsonElement cv)
        {
            figures.Add(("Cross-validated accuracy (integer model)", Percent(cv, "accuracy")));
            figures.Add(("Cohen's kappa / macro F1", $"{Number(cv, "kappa")} / {Number(cv, "macro_f1")}"));
            if (cv.TryGetProperty("epochs", out JsonElement epochs))
            {
                figures.Add(("Epochs in the cross-validation", epochs.ToString()));
            }
        }

        if (Find(card.Details, "calibration") is JsonElement calibration && calibration.TryGetProperty("expected_calibration_error", out _))
        {
            figures.Add(("Expected calibration error", Number(calibration, "expected_calibration_error")));
        }

        figures.Add(("Review threshold (confidence)", card.ReviewThreshold.ToString("0.00", CultureInfo.InvariantCulture)));
        string? data = Find(card.Details, "training") is JsonElement training && training.TryGetProperty("data", out JsonElement d) ? d.GetString() : null;
        return new ModelSummary(name, version, figures, data);
    }

    private static JsonElement? Find(Dictionary<string, JsonElement> details, string first, params string[] path)
    {
        if (!details.TryGetValue(first, out JsonElement e))
        {
            return null;
        }

        foreach (string name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return null;
            }
        }

        return e;
    }

    private static string Number(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string Percent(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? (100 * v.GetDouble()).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–";
}

/// <summary>Everything the PDF report of one scored study shows.</summary>
public sealed record StudyReport(
    ScoredResult Result,
    SleepStatistics Statistics,
    ScoredExtras Extras,
    ReviewSummary Review,
    SignOff? SignOff,
    ModelSummary Model,
    IReadOnlyList<string> Warnings,
    DateTime GeneratedAt)
{
    public Study Study => Result.Study;
}
