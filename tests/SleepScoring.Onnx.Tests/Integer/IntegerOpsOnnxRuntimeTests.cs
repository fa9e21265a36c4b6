using Microsoft.ML.OnnxRuntime.Tensors;

using SleepScoring.Onnx.Integer;

namespace SleepScoring.Onnx.Tests.Integer;

/// <summary>Each emitter, run by ONNX Runtime, equals its C# reference bit for bit.</summary>
public sealed class IntegerOpsOnnxRuntimeTests
{
    private static readonly Random Random = new(11);

    [Theory]
    [InlineData(RequantizedType.UInt8, 22, 0.0004, RequantizationForm.Divisor)]
    [InlineData(RequantizedType.UInt8, 22, 0.01, RequantizationForm.WideDyadic)]
    [InlineData(RequantizedType.UInt8, 14, 0.01, RequantizationForm.NarrowDyadic)]
    [InlineData(RequantizedType.UInt8Relu, 22, 0.0004, RequantizationForm.Divisor)]
    [InlineData(RequantizedType.UInt8Relu, 22, 0.01, RequantizationForm.WideDyadic)]
    [InlineData(RequantizedType.UInt8Relu, 14, 0.01, RequantizationForm.NarrowDyadic)]
    [InlineData(RequantizedType.Int16InInt32, 22, 0.01, RequantizationForm.WideDyadic)]
    [InlineData(RequantizedType.Int16InInt32, 14, 2.56, RequantizationForm.NarrowDyadic)]
    public void Requantize_matches_the_reference_per_channel_with_the_bias_folded_in(RequantizedType type, int boundBits, double unit, RequantizationForm form)
    {
        const int channels = 8, rows = 500;
        int bound = 1 << boundBits;
        // Large enough to saturate: the largest accumulator maps far beyond the output range.
        var rq = new Requantization(Ratios(channels, unit), type, accumulatorBound: bound);

        // Ratios ≤ 2^−8 of 8-bit outputs divide by D_c in int32; 2^22 · m (m ≥ 2^8) · 2 cannot stay below 2^31, 2^14 can.
        Assert.Equal(form, rq.Form);
        (int[] product, int[] bias) = Accumulators(rows, channels, bound);
        var g = new OnnxGraphBuilder("rq");
        string x = g.Input("x", TensorElementType.Int32, [rows, channels]);
        string y = g.Requantize(x, rq, bias);
        bool bytes = type != RequantizedType.Int16InInt32;
        g.Output(y, bytes ? TensorElementType.UInt8 : TensorElementType.Int32, [rows, channels]);
        var tensor = new DenseTensor<int>(product, [rows, channels]);

        long[] actual = bytes
            ? OrtRunner.Run<int, byte>(g.Build("t"), ("x", tensor)).Select(v => (long)v).ToArray()
            : OrtRunner.Run<int, int>(g.Build("t"), ("x", tensor)).Select(v => (long)v).ToArray();

        long[] expected = product.Select((z, i) => rq.Store((long)z + bias[i % channels], i % channels)).ToArray();
        Assert.Equal(expected, actual);
        (long low, long high) = rq.Range;
        Assert.Contains(expected, v => v == high + (type == RequantizedType.UInt8 ? 128 : 0)); // saturation exercised
        Assert.Contains(expected, v => v == low + (type == RequantizedType.UInt8 ? 128 : 0));
    }

    [Theory]
    [InlineData(22, 0.0004, RequantizationForm.Divisor)] // extended table
    [InlineData(22, 0.01, RequantizationForm.WideDyadic)] // int64 quotient, extended table
    [InlineData(14, 0.01, RequantizationForm.NarrowDyadic)] // int32 quotient, extended table
    [InlineData(14, 4.0, RequantizationForm.NarrowDyadic)] // K beyond MaxFusedTable: clip, then the 256-entry table
    public void RequantizeLookup_equals_requantizing_then_looking_the_byte_up(int boundBits, double unit, RequantizationForm form)
    {
        const int channels = 8, rows = 500;
        int bound = 1 << boundBits;
        var rq = new Requantization(Ratios(channels, unit), RequantizedType.UInt8, accumulatorBound: bound);
        Assert.Equal(form, rq.Form);
        byte[] table = [.. Enumerable.Range(0, 256).Select(_ => (byte)Random.Next(256))];
        (int[] product, int[] bias) = Accumulators(rows, channels, bound);
        var g = new OnnxGraphBuilder("lookup");
        string x = g.Input("x", TensorElementType.Int32, [rows, channels]);
        g.Output(g.RequantizeLookup(x, rq, table, bias), TensorElementType.UInt8, [rows, channels]);

        byte[] actual = OrtRunner.Run<int, byte>(g.Build("t"), ("x", new DenseTensor<int>(product, [rows, channels])));

        byte[] expected = product.Select((z, i) => table[rq.Store((long)z + bias[i % channels], i % channels)]).ToArray();
        Assert.Equal(expected, actual);
        Assert.Contains(expected, v => v == table[255]); // saturation exercised
        Assert.Contains(expected, v => v == table[0]);
    }

    private static double[] Ratios(int channels, double unit) => Enumerable.Range(0, channels).Select(c => unit * (1 + c)).ToArray();

    /// <summary>Products and per-channel biases whose sums stay within ±bound, the extremes included.</summary>
    private static (int[] Product, int[] Bias) Accumulators(int rows, int channels, int bound)
    {
        int[] bias = [.. Enumerable.Range(0, channels).Select(_ => Random.Next(-bound / 4, (bound / 4) + 1))];
        int[] product = new int[rows * channels];
        for (int i = 0; i < product.Length; i++)
        {
            int b = bias[i % channels], low = -bound - Math.Min(b, 0), high = bound - Math.Max(b, 0);
            product[i] = i < 2 * channels ? (i < channels ? high : low) : Random.Next(low, high + 1);
        }

        return (product, bias);
    }

    [Theory]
    [InlineData(0.02, 8)]
    [InlineData(0.0001, 8)]
    [InlineData(0.02, 9)]
    [InlineData(0.05, 16)]
    public void Shiftmax_matches_the_reference(double scale, int bits)
    {
        const int rows = 300, length = 61;
        ShiftmaxTable table = ShiftmaxTable.Create(scale, length, bits);
        var g = new OnnxGraphBuilder("sm");
        string x = g.Input("x", TensorElementType.Int32, [rows, length]);
        string y = g.Shiftmax(x, table);
        g.Output(y, bits <= 9 ? TensorElementType.UInt8 : TensorElementType.Int32, [rows, length]);
        int[] input = Enumerable.Range(0, rows * length).Select(_ => Random.Next(-30000, 30000)).ToArray();
        var tensor = new DenseTensor<int>(input, [rows, length]);

        int[] actual = bits <= 9
            ? OrtRunner.Run<int, byte>(g.Build("t"), ("x", tensor)).Select(v => (int)v).ToArray()
            : OrtRunner.Run<int, int>(g.Build("t"), ("x", tensor));

        int[] expected = new int[input.Length];
        for (int r = 0; r < rows; r++)
        {
            table.Apply(input.AsSpan(r * length, length), expected.AsSpan(r * length, length));
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void LayerNorm_matches_the_reference()
    {
        const int rows = 400, width = 64;
        double[] gamma = Enumerable.Range(0, width).Select(_ => Random.NextDouble() * 2 - 0.5).ToArray();
        double[] beta = Enumerable.Range(0, width).Select(_ => Random.NextDouble() - 0.5).ToArray();
        var norm = new IntegerLayerNorm(gamma, beta, 3.0 / 127);
        var g = new OnnxGraphBuilder("ln");
        string x = g.Input("x", TensorElementType.Int32, [rows, width]);
        g.Output(g.LayerNorm(x, norm), TensorElementType.UInt8, [rows, width]);
        int[] input = new int[rows * width];
        for (int r = 0; r < rows; r++)
        {
            if (r % 50 == 49)
            {
                // One extreme value against all others: |c|/σ near √D, the int32 bound of n = c·⌊2^F/σ⌋.
                for (int c = 0; c < width; c++)
                {
                    input[(r * width) + c] = c == r % width ? (r % 100 == 49 ? short.MaxValue : short.MinValue) : (r % 100 == 49 ? short.MinValue : short.MaxValue);
                }

                continue;
            }

            // Rows of every spread: constant rows, tiny variance, full 16-bit range.
            int spread = r % 4 == 0 ? 0 : 1 << (r % 16);
            int centre = Random.Next(-20000, 20000);
            for (int c = 0; c < width; c++)
            {
                input[(r * width) + c] = Math.Clamp(centre + Random.Next(-spread, spread + 1), -32768, 32767);
            }
        }

        byte[] actual = OrtRunner.Run<int, byte>(g.Build("t"), ("x", new DenseTensor<int>(input, [rows, width])));

        byte[] expected = new byte[input.Length];
        for (int r = 0; r < rows; r++)
        {
            norm.Apply(input.AsSpan(r * width, width), expected.AsSpan(r * width, width));
        }

        Assert.Equal(expected, actual);
    }
}
