namespace SleepScoring.Onnx.Integer;

/// <summary>
/// ShiftGELU (I-ViT) on an 8-bit input as a 256-entry table: GELU(x) ≈ x·σ(1.702x) with
/// 1.702x ≈ x + ⌊x/2⌋ + ⌊x/8⌋ + ⌊x/16⌋ and σ(a) = e^(a−m)/(e^(a−m) + e^(−m)) from the integer
/// exponential, then requantized to the output scale. Deviation from I-ViT, stated: the reference
/// point m is max(a, 0) per element instead of the row maximum, which makes GELU a pure function
/// of the 8-bit input (so it can be tabulated; the graph does one Gather) and changes no real value.
/// </summary>
public sealed class ShiftGeluTable
{
    private const int SigmoidBits = 8;

    private ShiftGeluTable(byte[] table) => Table = table;

    /// <summary>Output byte (zero point 128) for each input byte (zero point 128).</summary>
    public byte[] Table { get; }

    /// <summary>The table for inputs at <paramref name="inputScale"/> and outputs at <paramref name="outputScale"/>.</summary>
    /// <param name="inputScale">Real value of one input step.</param>
    /// <param name="outputScale">Real value of one output step.</param>
    /// <param name="tables">I-ViT's ShiftGELU (default) or exact GELU rounded to the output grid.</param>
    public static ShiftGeluTable Create(double inputScale, double outputScale, FunctionTables tables = FunctionTables.IVitShifts)
    {
        if (tables == FunctionTables.Exact)
        {
            byte[] exact = new byte[256];
            for (int u = 0; u < 256; u++)
            {
                double q = Math.Round(GaussianError.Gelu((u - 128) * inputScale) / outputScale, MidpointRounding.AwayFromZero);
                exact[u] = (byte)Math.Clamp(q + 128, 0, 255);
            }

            return new ShiftGeluTable(exact);
        }

        var exp = new ShiftExp(inputScale);
        Dyadic requantize = Dyadic.FromRatio(inputScale / (1 << (SigmoidBits - 1)) / outputScale);
        byte[] table = new byte[256];
        for (int u = 0; u < 256; u++)
        {
            long x = u - 128;
            long a = x + IntegerMath.FloorDiv(x, 2) + IntegerMath.FloorDiv(x, 8) + IntegerMath.FloorDiv(x, 16);
            long m = Math.Max(a, 0);
            long e1 = exp.Evaluate(a - m);
            long e2 = exp.Evaluate(-m);
            long factor = int.MaxValue / (e1 + e2);
            long sigmoid = e1 * factor / (1L << (31 - SigmoidBits + 1));
            long q = requantize.Apply(x * sigmoid);
            table[u] = (byte)Math.Clamp(q + 128, 0, 255);
        }

        return new ShiftGeluTable(table);
    }
}
