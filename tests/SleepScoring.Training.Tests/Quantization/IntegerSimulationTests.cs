using SleepScoring.Onnx.Integer;
using SleepScoring.Training.Quantization;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Quantization;

/// <summary>
/// The TorchSharp simulation equals the C# references, which the ONNX tests hold equal to ONNX
/// Runtime: so training-side integer results are the exported graph's results.
/// </summary>
public sealed class IntegerSimulationTests
{
    private static readonly Random Random = new(23);

    [Theory]
    [InlineData(RequantizedType.UInt8)]
    [InlineData(RequantizedType.UInt8Relu)]
    [InlineData(RequantizedType.Int16InInt32)]
    public void Requantize_equals_the_reference(RequantizedType type)
    {
        const int rows = 300, channels = 6;
        var rq = new Requantization(Enumerable.Range(1, channels).Select(c => 0.003 * c).ToArray(), type, 1 << 22);
        long[] input = Enumerable.Range(0, rows * channels).Select(_ => (long)Random.Next(-(1 << 22), 1 << 22)).ToArray();

        using Tensor result = IntegerSimulation.Requantize(tensor(input, [rows, channels]), rq);

        long[] expected = input.Select((z, i) => rq.Store(z, i % channels)).ToArray();
        Assert.Equal(expected, result.data<long>().ToArray());
    }

    [Theory]
    [InlineData(0.02, 8)]
    [InlineData(0.0001, 8)]
    [InlineData(0.05, 16)]
    public void Shiftmax_equals_the_reference(double scale, int bits)
    {
        const int rows = 100, length = 61;
        ShiftmaxTable table = ShiftmaxTable.Create(scale, length, bits);
        int[] input = Enumerable.Range(0, rows * length).Select(_ => Random.Next(-30000, 30000)).ToArray();

        using Tensor result = IntegerSimulation.Shiftmax(tensor(input.Select(v => (long)v).ToArray(), [rows, length]), table);

        int[] expected = new int[input.Length];
        for (int r = 0; r < rows; r++)
        {
            table.Apply(input.AsSpan(r * length, length), expected.AsSpan(r * length, length));
        }

        Assert.Equal(expected.Select(v => (long)v), result.data<long>().ToArray());
    }

    [Fact]
    public void ShiftGelu_equals_the_table()
    {
        ShiftGeluTable table = ShiftGeluTable.Create(0.04, 0.03);

        using Tensor result = IntegerSimulation.ShiftGelu(arange(256, ScalarType.Int64).reshape(16, 16), table);

        Assert.Equal(table.Table.Select(b => (long)b), result.data<long>().ToArray());
    }

    [Fact]
    public void LayerNorm_equals_the_reference()
    {
        const int rows = 200, width = 64;
        double[] gamma = Enumerable.Range(0, width).Select(_ => (Random.NextDouble() * 2) - 0.5).ToArray();
        double[] beta = Enumerable.Range(0, width).Select(_ => Random.NextDouble() - 0.5).ToArray();
        var norm = new IntegerLayerNorm(gamma, beta, 3.0 / 127);
        int[] input = Enumerable.Range(0, rows * width).Select(i => Math.Clamp((i / width * 97 % 2000) + Random.Next(-(1 << (i / width % 15)), 1 << (i / width % 15)), -32768, 32767)).ToArray();

        using Tensor result = IntegerSimulation.LayerNorm(tensor(input.Select(v => (long)v).ToArray(), [rows, width]), norm);

        byte[] expected = new byte[input.Length];
        for (int r = 0; r < rows; r++)
        {
            norm.Apply(input.AsSpan(r * width, width), expected.AsSpan(r * width, width));
        }

        Assert.Equal(expected.Select(v => (long)v), result.data<long>().ToArray());
    }

    [Fact]
    public void MatMulInteger_subtracts_zero_points_exactly()
    {
        // [1x3] uint8 (zero point 128) · [3x2] int8, the same numbers as the ONNX Runtime test.
        using Tensor a = tensor(new long[] { 130, 120, 255 }, [1, 3]);
        using Tensor w = tensor(new long[] { 1, -2, 3, 4, -5, 6 }, [3, 2]);

        using Tensor result = IntegerSimulation.MatMulInteger(a, 128, w);

        Assert.Equal(new long[] { -657, 726 }, result.data<long>().ToArray());
    }
}
