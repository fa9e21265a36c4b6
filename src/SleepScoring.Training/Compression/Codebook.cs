namespace SleepScoring.Training.Compression;

/// <summary>
/// A layer's shared weight values: a symmetric set of integers on the layer's int8 grid
/// (±m for each magnitude m, 0 once), and the index of each weight's value. The integer graph
/// stores each weight as its codebook value (int8), so the graphs stay integer-only; stored
/// packed, a weight needs <see cref="IndexBits"/> bits plus one byte per codebook entry.
/// </summary>
public sealed class Codebook
{
    /// <param name="values">Distinct integers, ascending.</param>
    /// <param name="indices">For every weight, the index of its value in <paramref name="values"/>.</param>
    public Codebook(int[] values, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(indices);
        Values = values;
        Indices = indices;
    }

    /// <summary>The shared values, ascending.</summary>
    public int[] Values { get; }

    /// <summary>Index into <see cref="Values"/> of each weight, in the layer's order.</summary>
    public int[] Indices { get; }

    /// <summary>Bits of one packed index: ⌈log₂ |values|⌉ (at least 1).</summary>
    public int IndexBits => Math.Max(1, (int)Math.Ceiling(Math.Log2(Values.Length)));

    /// <summary>Bytes of the layer stored packed: indices at <see cref="IndexBits"/> bits, plus the codebook (one int8 per value).</summary>
    public long PackedBytes => ((((long)Indices.Length * IndexBits) + 7) / 8) + Values.Length;

    /// <summary>The value of every weight (the indices looked up).</summary>
    public int[] Decode() => [.. Indices.Select(i => Values[i])];

    /// <summary>
    /// Fits a codebook of at most <paramref name="size"/> values to <paramref name="grid"/> (weights
    /// on the layer's grid, in [−<paramref name="levels"/>, <paramref name="levels"/>]): 1-D k-means
    /// (Lloyd, quantile start) on the magnitudes with <paramref name="size"/>/2 centroids, the largest
    /// pinned at <paramref name="levels"/> — per-channel quantization puts every channel's largest
    /// weight there, and keeping it keeps each channel's scale — centroids rounded to integers; the
    /// signs are kept, so the set is symmetric (a BatchNorm fold that flips a channel stays in it).
    /// Each weight then takes the value nearest to it.
    /// </summary>
    public static Codebook Fit(IReadOnlyList<double> grid, int size, int levels)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        double[] magnitudes = [.. grid.Select(Math.Abs)];
        double[] centres = KMeans(magnitudes, size / 2, levels);
        int[] rounded = [.. centres.Select(c => (int)Math.Round(c)).Distinct().Order()];
        int[] values = [.. rounded.Select(m => -m).Concat(rounded).Distinct().Order()];
        int[] indices = [.. grid.Select(w => Nearest(values, w))];
        return new Codebook(values, indices);
    }

    /// <summary>Index of the value nearest to <paramref name="x"/> (the lower one on a tie).</summary>
    public static int Nearest(IReadOnlyList<int> values, double x)
    {
        ArgumentNullException.ThrowIfNull(values);
        int best = 0;
        for (int i = 1; i < values.Count; i++)
        {
            if (Math.Abs(values[i] - x) < Math.Abs(values[best] - x))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Lloyd's k-means in one dimension with the last centroid fixed at <paramref name="pinned"/>.</summary>
    private static double[] KMeans(double[] x, int k, double pinned)
    {
        double[] sorted = [.. x.Order()];
        int free = Math.Max(0, k - 1);
        var centres = new double[free + 1];
        for (int j = 0; j < free; j++)
        {
            centres[j] = sorted[Math.Min(sorted.Length - 1, (int)((j + 0.5) * sorted.Length / free))];
        }

        centres[free] = pinned;
        var sums = new double[centres.Length];
        var counts = new long[centres.Length];
        for (int iteration = 0; iteration < 100; iteration++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            foreach (double v in sorted)
            {
                int best = 0;
                for (int j = 1; j < centres.Length; j++)
                {
                    if (Math.Abs(centres[j] - v) < Math.Abs(centres[best] - v))
                    {
                        best = j;
                    }
                }

                sums[best] += v;
                counts[best]++;
            }

            bool moved = false;
            for (int j = 0; j < free; j++)
            {
                double next = counts[j] == 0 ? centres[j] : sums[j] / counts[j];
                moved |= Math.Abs(next - centres[j]) > 1e-9;
                centres[j] = next;
            }

            if (!moved)
            {
                break;
            }
        }

        return centres;
    }
}
