using System.Collections.ObjectModel;
using System.Text.Json.Serialization;

using SleepScoring.Analysis;

namespace SleepScoring.Training.Metrics;

/// <summary>
/// Agreement between scored and predicted stages, from a <see cref="ConfusionMatrix"/>: accuracy,
/// Cohen's κ, per-class F1 (keys W, N1, N2, N3, R) and macro-F1. Macro-F1 averages the classes
/// present in the truth or the predictions, so a night without N3 is not charged a zero for it.
/// System.Text.Json writes the report keys accuracy, kappa, macro_f1, per_class_f1, confusion, epochs.
/// </summary>
public sealed record StagingMetrics
{
    /// <summary>Fraction of epochs where prediction equals truth.</summary>
    [JsonPropertyName("accuracy")]
    public required double Accuracy { get; init; }

    /// <summary>Cohen's κ: (p_o − p_e) / (1 − p_e) with p_e from the row and column marginals.</summary>
    [JsonPropertyName("kappa")]
    public required double Kappa { get; init; }

    /// <summary>Unweighted mean of the per-class F1 over the classes that occur.</summary>
    [JsonPropertyName("macro_f1")]
    public required double MacroF1 { get; init; }

    /// <summary>F1 = 2·TP / (2·TP + FP + FN) per stage, keyed W, N1, N2, N3, R.</summary>
    [JsonPropertyName("per_class_f1")]
    public required IReadOnlyDictionary<string, double> PerClassF1 { get; init; }

    /// <summary>The counts, rows = truth.</summary>
    [JsonPropertyName("confusion")]
    public required long[][] Confusion { get; init; }

    /// <summary>Epochs counted.</summary>
    [JsonPropertyName("epochs")]
    public required long Epochs { get; init; }

    /// <summary>Computes the metrics of <paramref name="matrix"/>; throws when it is empty.</summary>
    public static StagingMetrics From(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Total == 0)
        {
            throw new ArgumentException("The confusion matrix is empty: no scored epochs were counted.", nameof(matrix));
        }

        const int k = ConfusionMatrix.ClassCount;
        double n = matrix.Total;
        long agree = 0;
        double expected = 0;
        var f1 = new Dictionary<string, double>(k);
        double f1Sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++)
        {
            long tp = matrix.Count(c, c), rowSum = 0, columnSum = 0;
            for (int j = 0; j < k; j++)
            {
                rowSum += matrix.Count(c, j);
                columnSum += matrix.Count(j, c);
            }

            agree += tp;
            expected += rowSum / n * (columnSum / n);
            long denominator = rowSum + columnSum; // = 2·TP + FP + FN
            double score = denominator == 0 ? 0 : 2.0 * tp / denominator;
            f1[((SleepStage)c).ToString()] = score;
            if (denominator > 0)
            {
                f1Sum += score;
                present++;
            }
        }

        double observed = agree / n;
        double kappa = expected >= 1 ? 0 : (observed - expected) / (1 - expected);
        return new StagingMetrics
        {
            Accuracy = observed,
            Kappa = kappa,
            MacroF1 = f1Sum / present,
            PerClassF1 = new ReadOnlyDictionary<string, double>(f1),
            Confusion = matrix.ToRows(),
            Epochs = matrix.Total,
        };
    }
}
