using Microsoft.ML.OnnxRuntime.Tensors;

using SleepScoring.Onnx.Integer;

namespace SleepScoring.Onnx.Tests.Integer;

/// <summary>Each emitter, run by ONNX Runtime, equals its C# reference bit for bit.</summary>
public sealed class IntegerOpsOnnxRuntimeTests
{
    private static readonly Random Random = new(11);

    [Theory]
    [InlineData(RequantizedType.UInt8, 22, false)]
    [InlineData(RequantizedType.UInt8Relu, 22, false)]
    [InlineData(RequantizedType.Int16InInt32, 22, false)]
    [InlineData(RequantizedType.UInt8, 14, true)]
    [InlineData(RequantizedType.UInt8Relu, 14, true)]
    [InlineData(RequantizedType.Int16InInt32, 14, true)]
    public void Requantize_matches_the_reference_per_channel(RequantizedType type, int boundBits, bool narrow)
    {
        const int channels = 8, rows = 500;
        int bound = 1 << boundBits;
        // Large enough to saturate: the largest accumulator maps far beyond the output range.
        double unit = (type == RequantizedType.Int16InInt32 ? 0.01 : 0.0004) * (1 << (22 - boundBits));
        double[] ratios = Enumerable.Range(0, channels).Select(c => unit * (1 + c)).ToArray();
        var rq = new Requantization(ratios, type, accumulatorBound: bound);

        // 2^22 · m (m ≥ 2^10) cannot stay below 2^31; 2^14 · 2^15 · 2 can: int32 arithmetic is chosen exactly then.
        Assert.Equal(narrow, rq.Narrow);
        var g = new OnnxGraphBuilder("rq");
        string x = g.Input("x", TensorElementType.Int32, [rows, channels]);
        string y = g.Requantize(x, rq);
        bool bytes = type != RequantizedType.Int16InInt32;
        g.Output(y, bytes ? TensorElementType.UInt8 : TensorElementType.Int32, [rows, channels]);
        int[] input = Enumerable.Range(0, rows * channels)
            .Select(i => i < 4 ? new[] { bound, -bound, 0, -1 }[i] : Random.Next(-bound, bound + 1)).ToArray();
        var tensor = new DenseTensor<int>(input, [rows, channels]);

        long[] actual = bytes
            ? OrtRunner.Run<int, byte>(g.Build("t"), ("x", tensor)).Select(v => (long)v).ToArray()
            : OrtRunner.Run<int, int>(g.Build("t"), ("x", tensor)).Select(v => (long)v).ToArray();

        long[] expected = input.Select((z, i) => rq.Store(z, i % channels)).ToArray();
        Assert.Equal(expected, actual);
        (long low, long high) = rq.Range;
        Assert.Contains(expected, v => v == high + (type == RequantizedType.UInt8 ? 128 : 0)); // saturation exercised
        Assert.Contains(expected, v => v == low + (type == RequantizedType.UInt8 ? 128 : 0));
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
    public void ShiftGelu_gathers_its_table()
    {
        ShiftGeluTable table = ShiftGeluTable.Create(0.04, 0.03);
        var g = new OnnxGraphBuilder("gelu");
        string x = g.Input("x", TensorElementType.UInt8, [256]);
        g.Output(g.ShiftGelu(x, table), TensorElementType.UInt8, [256]);
        byte[] input = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        byte[] actual = OrtRunner.Run<byte, byte>(g.Build("t"), ("x", new DenseTensor<byte>(input, [256])));

        Assert.Equal(table.Table, actual);
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
