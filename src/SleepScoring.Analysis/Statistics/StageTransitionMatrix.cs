namespace SleepScoring.Analysis.Statistics;

/// <summary>
/// Counts of stage pairs between consecutive scored epochs (W, N1, N2, N3, R). Unscored and
/// artefact epochs are removed from the sequence first, so <c>N2 ? N2</c> counts one N2→N2 pair.
/// The diagonal holds epochs that stayed in their stage; <see cref="Transitions"/> sums the rest.
/// </summary>
public sealed class StageTransitionMatrix
{
    private const int Classes = 5;
    private readonly int[] counts = new int[Classes * Classes];

    internal StageTransitionMatrix(ReadOnlySpan<SleepStage> scoredSequence)
    {
        for (int i = 1; i < scoredSequence.Length; i++)
        {
            counts[((int)scoredSequence[i - 1] * Classes) + (int)scoredSequence[i]]++;
        }
    }

    /// <summary>Number of times an epoch of <paramref name="from"/> was followed by one of <paramref name="to"/>.</summary>
    public int Count(SleepStage from, SleepStage to)
    {
        CheckScored(from, nameof(from));
        CheckScored(to, nameof(to));
        return counts[((int)from * Classes) + (int)to];
    }

    /// <summary>Number of stage changes (pairs with different stages).</summary>
    public int Transitions
    {
        get
        {
            int total = 0;
            for (int from = 0; from < Classes; from++)
            {
                for (int to = 0; to < Classes; to++)
                {
                    total += from == to ? 0 : counts[(from * Classes) + to];
                }
            }

            return total;
        }
    }

    /// <summary>The counts as rows (from) × columns (to) in the order W, N1, N2, N3, R.</summary>
    public int[][] ToRows()
    {
        var rows = new int[Classes][];
        for (int from = 0; from < Classes; from++)
        {
            rows[from] = counts.AsSpan(from * Classes, Classes).ToArray();
        }

        return rows;
    }

    private static void CheckScored(SleepStage stage, string name)
    {
        if ((int)stage >= Classes)
        {
            throw new ArgumentOutOfRangeException(name, stage, "Transitions are counted between scored stages W, N1, N2, N3, R only.");
        }
    }
}
