using SleepScoring.Analysis;

namespace SleepScoring.Training.Metrics;

/// <summary>
/// Counts of (true stage, predicted stage) over the five scored stages W, N1, N2, N3, R; rows are
/// the truth. Unscored and artefact epochs are rejected: they are never counted.
/// </summary>
public sealed class ConfusionMatrix
{
    /// <summary>Number of scored stage classes.</summary>
    public const int ClassCount = 5;

    private readonly long[,] counts = new long[ClassCount, ClassCount];

    /// <summary>The count of epochs scored <paramref name="truth"/> and predicted <paramref name="predicted"/>.</summary>
    public long this[SleepStage truth, SleepStage predicted] => counts[Index(truth, nameof(truth)), Index(predicted, nameof(predicted))];

    /// <summary>Total epochs counted.</summary>
    public long Total { get; private set; }

    /// <summary>Counts one epoch.</summary>
    public void Add(SleepStage truth, SleepStage predicted)
    {
        counts[Index(truth, nameof(truth)), Index(predicted, nameof(predicted))]++;
        Total++;
    }

    /// <summary>Adds every count of <paramref name="other"/> (pooling folds or nights).</summary>
    public void Add(ConfusionMatrix other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int t = 0; t < ClassCount; t++)
        {
            for (int p = 0; p < ClassCount; p++)
            {
                counts[t, p] += other.counts[t, p];
            }
        }

        Total += other.Total;
    }

    /// <summary>A copy of the counts as a jagged array, rows = truth (W, N1, N2, N3, R).</summary>
    public long[][] ToRows()
    {
        var rows = new long[ClassCount][];
        for (int t = 0; t < ClassCount; t++)
        {
            rows[t] = new long[ClassCount];
            for (int p = 0; p < ClassCount; p++)
            {
                rows[t][p] = counts[t, p];
            }
        }

        return rows;
    }

    internal long Count(int truth, int predicted) => counts[truth, predicted];

    private static int Index(SleepStage stage, string name) => (int)stage < ClassCount
        ? (int)stage
        : throw new ArgumentOutOfRangeException(name, stage, "Only the scored stages W, N1, N2, N3 and R are counted.");
}
