namespace SleepScoring.Onnx.Integer;

/// <summary>
/// Shiftmax over rows of integer scores, with I-ViT's exponential tabulated: the graph computes
/// d = max − x, looks E(−d) up (a Gather), sums the row and normalises with one integer division
/// per row: p = ⌊E·⌊N/ΣE⌋ / 2^o⌋, b = output bits, so p ∈ [0, 2^(b−1)) at scale 2^−(b−1).
/// Two sizes of arithmetic, stated deviations from I-ViT both: its reciprocal ⌊(2^31−1)/ΣE⌋
/// keeps almost no bits when ΣE nears 2^31 (rows summed to 0.67 in our tests). For b ≤
/// <see cref="NarrowOutputBits"/> (attention) the table is scaled down by 2^t until
/// L·E(0) ≤ 2^(29−b), so N = 2^31 − 1 leaves the reciprocal ≥ 2^(b+2) and everything stays in
/// int32; the scaled table keeps at least 12 significant bits. Otherwise (the 16-bit stage
/// probabilities) N = 2^(31+16) − 1 carries 16 more reciprocal bits in int64. Tabulating is
/// bit-identical to evaluating the shifts at run time and costs one operator instead of about
/// ten. Scores finer than ΣE allows in 32 bits are first divided by 2^PreShift.
/// </summary>
public sealed class ShiftmaxTable
{
    private ShiftmaxTable(ShiftExp exp, int preShift, int[] table, int outputBits, int rowLength, int tableShift = -1)
    {
        Exp = exp;
        PreShift = preShift;
        Table = table;
        OutputBits = outputBits;
        RowLength = rowLength;
        Narrow = tableShift >= 0;
        TableShift = Math.Max(tableShift, 0);
    }

    /// <summary>Most output bits computed in int32 (attention probabilities: 9).</summary>
    public const int NarrowOutputBits = 9;

    /// <summary>Fewest significant bits the int32 form leaves in the largest table entry.</summary>
    public const int NarrowTableBits = 12;

    /// <summary>s: extra bits of the int64 form's row reciprocal beyond I-ViT's 31.</summary>
    public const int ReciprocalExtraBits = 16;

    /// <summary>Entries per row: the row sum is bounded for this length, and the graph sums rows of it.</summary>
    public int RowLength { get; }

    /// <summary>The exponential at the (pre-shifted) score scale.</summary>
    public ShiftExp Exp { get; }

    /// <summary>Scores are divided by 2^PreShift (floor, non-negative) before the lookup.</summary>
    public int PreShift { get; }

    /// <summary>True when the graph normalises in int32 (scaled table, N = 2^31 − 1).</summary>
    public bool Narrow { get; }

    /// <summary>t: the table holds the exponential divided by 2^t (0 for the int64 form).</summary>
    public int TableShift { get; }

    /// <summary>N, divided by the row sum: 2^31 − 1 (int32 form) or 2^(31+s) − 1 (int64 form).</summary>
    public long ReciprocalNumerator => Narrow ? int.MaxValue : (1L << (31 + ReciprocalExtraBits)) - 1;

    /// <summary>E(−d) for d = 0 … Table.Length − 1; larger d use the last entry.</summary>
    public int[] Table { get; }

    /// <summary>b: probabilities come out in [0, 2^(b−1)).</summary>
    public int OutputBits { get; }

    /// <summary>The divisor 2^o that brings E·reciprocal to b − 1 fraction bits.</summary>
    public long OutputDivisor => 1L << OutputShift;

    /// <summary>o = log2 of <see cref="OutputDivisor"/>: 32 − b (int32 form) or 31 + s − b + 1.</summary>
    public int OutputShift => (Narrow ? 31 : 31 + ReciprocalExtraBits) - OutputBits + 1;

    /// <summary>Real value of one output step, 2^−(b−1).</summary>
    public double OutputScale => Math.Pow(2, -(OutputBits - 1));

    /// <summary>Table for scores at <paramref name="scoreScale"/> over rows of <paramref name="rowLength"/> entries.</summary>
    /// <param name="scoreScale">Real value of one step of the integer scores.</param>
    /// <param name="rowLength">Entries per row (bounds the row sum).</param>
    /// <param name="outputBits">b: probabilities in [0, 2^(b−1)).</param>
    /// <param name="tables">I-ViT's shift approximation (default) or the exact exponential; same length and clamp point either way.</param>
    public static ShiftmaxTable Create(double scoreScale, int rowLength, int outputBits = 8, FunctionTables tables = FunctionTables.IVitShifts)
    {
        if (rowLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, "A Shiftmax row holds at least one entry.");
        }

        if (outputBits is < 2 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(outputBits), outputBits, "Shiftmax output bits must be 2–16.");
        }

        // ΣE ≤ rowLength·(−x0)·2^n must stay below 2^31: coarsen the scores until it does.
        for (int preShift = 0; preShift < 31; preShift++)
        {
            var exp = new ShiftExp(scoreScale * Math.Pow(2, preShift));
            if (exp.Max * rowLength < int.MaxValue)
            {
                long length = exp.ClampDistance + 1;
                int[] table = new int[length];
                for (long d = 0; d < length; d++)
                {
                    // At least 1, as I-ViT's clamp keeps E > 0: every score keeps a share, and the row sum is never 0.
                    table[d] = tables == FunctionTables.Exact
                        ? checked((int)Math.Max(1, Math.Round(exp.Max * Math.Exp(-d * exp.Scale))))
                        : checked((int)exp.Evaluate(-d));
                }

                return Narrowed(exp, preShift, table, outputBits, rowLength) ?? new ShiftmaxTable(exp, preShift, table, outputBits, rowLength);
            }
        }

        throw new ArgumentOutOfRangeException(nameof(scoreScale), scoreScale, "No pre-shift keeps the Shiftmax sum within 32 bits.");
    }

    /// <summary>Reference: Shiftmax of one row of scores, as the graph computes it.</summary>
    public void Apply(ReadOnlySpan<int> scores, Span<int> probabilities)
    {
        int max = int.MinValue;
        foreach (int s in scores)
        {
            max = Math.Max(max, s);
        }

        Span<int> e = scores.Length <= 1024 ? stackalloc int[scores.Length] : new int[scores.Length];
        long sum = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            long d = ((long)max - scores[i]) >> PreShift;
            e[i] = Table[Math.Min(d, Table.Length - 1)];
            sum += e[i];
        }

        long factor = ReciprocalNumerator / sum;
        for (int i = 0; i < scores.Length; i++)
        {
            probabilities[i] = (int)(e[i] * factor / OutputDivisor);
        }
    }

    /// <summary>
    /// The int32 form: the table divided by 2^t (rounded, at least 1) for the smallest t with
    /// L·E(0) ≤ 2^(29−b); null when b is too wide or too few table bits would remain.
    /// </summary>
    private static ShiftmaxTable? Narrowed(ShiftExp exp, int preShift, int[] table, int outputBits, int rowLength)
    {
        if (outputBits > NarrowOutputBits)
        {
            return null;
        }

        long limit = (1L << (29 - outputBits)) / rowLength;
        int t = 0;
        while (((table[0] + (1L << t) - 1) >> t) > limit)
        {
            t++;
        }

        int[] scaled = [.. table.Select(v => (int)Math.Max(1, (v + (t > 0 ? 1L << (t - 1) : 0)) >> t))];
        return scaled[0] < 1 << (NarrowTableBits - 1) ? null : new ShiftmaxTable(exp, preShift, scaled, outputBits, rowLength, t);
    }
}
