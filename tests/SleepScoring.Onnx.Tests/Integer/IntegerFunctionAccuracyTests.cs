using SleepScoring.Onnx.Integer;

namespace SleepScoring.Onnx.Tests.Integer;

/// <summary>The integer approximations against the real functions they stand for (I-ViT's error level).</summary>
public sealed class IntegerFunctionAccuracyTests
{
    [Fact]
    public void Shift_exp_follows_the_exponential()
    {
        const double scale = 0.01;
        var exp = new ShiftExp(scale);
        for (long t = 0; t >= -600; t -= 7)
        {
            double approx = exp.Evaluate(t) * exp.OutputScale;
            // 2^f ≈ 1 + f/2 on f ∈ (−1, 0] errs by up to +6.1 % (at f = −0.5: 0.75 vs 0.7071) and
            // 1.4375 ≈ log2 e by −0.4 % per unit of t·S: within −10 % … +8 % over this range.
            Assert.InRange(approx, Math.Exp(t * scale) * 0.9, (Math.Exp(t * scale) * 1.08) + 1e-4);
        }
    }

    [Fact]
    public void Shiftmax_row_follows_softmax()
    {
        const double scale = 0.02;
        ShiftmaxTable table = ShiftmaxTable.Create(scale, 61);
        var random = new Random(3);
        int[] scores = Enumerable.Range(0, 61).Select(_ => random.Next(-400, 400)).ToArray();
        int[] p = new int[61];

        table.Apply(scores, p);

        double[] e = scores.Select(s => Math.Exp(s * scale)).ToArray();
        double sum = e.Sum();
        for (int i = 0; i < 61; i++)
        {
            Assert.InRange((p[i] * table.OutputScale) - (e[i] / sum), -0.03, 0.03);
        }
    }

    [Fact]
    public void ShiftGelu_table_follows_gelu()
    {
        const double inScale = 0.05, outScale = 0.05;
        ShiftGeluTable table = ShiftGeluTable.Create(inScale, outScale);
        for (int u = 0; u < 256; u++)
        {
            double x = (u - 128) * inScale;
            double gelu = 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + (0.044715 * x * x * x))));
            double approx = (table.Table[u] - 128) * outScale;
            // x·σ(1.702x) differs from GELU by < 0.02; the integer σ adds ~2 % of |x|, the output step 0.05.
            Assert.InRange(approx - gelu, -0.06 - (0.03 * Math.Abs(x)), 0.06 + (0.03 * Math.Abs(x)));
        }
    }

    [Fact]
    public void Exact_gelu_table_rounds_gelu_to_the_output_grid()
    {
        ShiftGeluTable table = ShiftGeluTable.Create(0.05, 0.05, FunctionTables.Exact);

        // x = ±1 (20 steps of 0.05): GELU(1) = Φ(1) = 0.8413 → 16.83 steps → 17; GELU(−1) = −0.1587 → −3.17 → −3.
        Assert.Equal(128 + 17, table.Table[128 + 20]);
        Assert.Equal(128 - 3, table.Table[128 - 20]);
        Assert.Equal(128, table.Table[128]);

        // x = 6.35 (u = 255): GELU ≈ x, 127 steps; x = −6.4: GELU ≈ −6e−10, rounds to 0.
        Assert.Equal(255, table.Table[255]);
        Assert.Equal(128, table.Table[0]);
    }

    [Fact]
    public void Exact_shiftmax_table_holds_the_exponential_at_the_same_clamp()
    {
        const double scale = 0.02;
        ShiftmaxTable exact = ShiftmaxTable.Create(scale, 61, 8, FunctionTables.Exact);
        ShiftmaxTable shifts = ShiftmaxTable.Create(scale, 61, 8, FunctionTables.IVitShifts);

        Assert.Equal(shifts.Table.Length, exact.Table.Length);
        Assert.Equal(shifts.TableShift, exact.TableShift);
        // Rounded to the integer grid, then (8-bit output, int32 form) divided by 2^t and rounded again.
        double unit = Math.Pow(2, exact.TableShift);
        Assert.InRange(exact.Table[0], (exact.Exp.Max / unit) - 1, (exact.Exp.Max / unit) + 1);
        for (int d = 1; d < exact.Table.Length; d += 37)
        {
            double expected = exact.Exp.Max * Math.Exp(-d * scale) / unit;
            Assert.InRange(exact.Table[d], Math.Max(1, expected - 1), expected + 1);
        }
    }

    [Fact]
    public void Integer_layer_norm_follows_layer_norm()
    {
        const int width = 64;
        const double outScale = 4.0 / 127;
        var random = new Random(5);
        double[] gamma = Enumerable.Range(0, width).Select(_ => 0.5 + random.NextDouble()).ToArray();
        double[] beta = Enumerable.Range(0, width).Select(_ => random.NextDouble() - 0.5).ToArray();
        var norm = new IntegerLayerNorm(gamma, beta, outScale);
        int[] row = Enumerable.Range(0, width).Select(_ => random.Next(-3000, 5000)).ToArray();
        byte[] output = new byte[width];

        norm.Apply(row, output);

        double mean = row.Average();
        double sd = Math.Sqrt(row.Select(r => (r - mean) * (r - mean)).Average());
        for (int c = 0; c < width; c++)
        {
            double expected = Math.Clamp((((row[c] - mean) / sd) * gamma[c]) + beta[c], -128 * outScale, 127 * outScale);
            Assert.InRange(((output[c] - 128) * outScale) - expected, -outScale, outScale);
        }
    }
}
