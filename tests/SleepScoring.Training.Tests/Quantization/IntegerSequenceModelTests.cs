using SleepScoring.Onnx;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Quantization;

/// <summary>The integer inter-epoch transformer: ONNX Runtime equals the simulation bit for bit.</summary>
public sealed class IntegerSequenceModelTests : IDisposable
{
    private const double EmbeddingScale = 3.0 / 127;

    private static readonly ModelOptions Small = new()
    {
        Dim = 32,
        Heads = 2,
        MlpDim = 64,
        SequenceLayers = 2,
        Window = 11,
        Dropout = 0,
    };

    private readonly InterEpochTransformer model;

    public IntegerSequenceModelTests()
    {
        torch.set_num_threads(1);
        torch.manual_seed(9);
        model = new InterEpochTransformer(Small);
        model.eval();
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.7)]
    public void Onnx_runtime_equals_the_simulation_bit_for_bit_on_200_windows(double temperature)
    {
        const int count = 200;
        using Tensor windows = Windows(count, seed: 2);
        using Tensor calibration = Dequantize(Windows(64, seed: 1));
        IntegerSequenceModel quantized = IntegerSequenceModel.Quantize(model, calibration, EmbeddingScale, temperature);
        (Tensor probabilities, IReadOnlyList<Tensor> attention) = quantized.Simulate(windows);

        Dictionary<string, long[]> outputs = OnnxRuntimeOutputs.Run(quantized.Export("test"), "embeddings", windows);

        Assert.Equal(probabilities.data<long>().ToArray(), outputs["probabilities"]);
        for (int i = 0; i < attention.Count; i++)
        {
            Assert.Equal(attention[i].data<long>().ToArray(), outputs[$"attention_{i}"]);
        }

        probabilities.Dispose();
    }

    [Fact]
    public void The_exported_graph_is_integer_only()
    {
        using Tensor calibration = Dequantize(Windows(32, seed: 1));
        IntegerSequenceModel quantized = IntegerSequenceModel.Quantize(model, calibration, EmbeddingScale);

        Assert.Empty(IntegerOnlyCheck.Violations(quantized.Export("test")));
    }

    [Fact]
    public void Probabilities_sum_to_one_and_follow_the_float_model()
    {
        using Tensor windows = Windows(64, seed: 3);
        using Tensor real = Dequantize(windows.clone());
        IntegerSequenceModel quantized = IntegerSequenceModel.Quantize(model, real, EmbeddingScale);
        (Tensor probabilities, IReadOnlyList<Tensor> attention) = quantized.Simulate(windows);
        using Tensor reference = model.forward(real.to_type(ScalarType.Float32)).select(1, Small.Window / 2).softmax(-1);

        using Tensor p = probabilities.to_type(ScalarType.Float64) * IntegerSequenceModel.ProbabilityScale;
        using Tensor sums = p.sum(-1);
        // Shiftmax floors each term: a row sums to slightly less than one, never more.
        Assert.True(sums.le(1.0).all().ToBoolean() && sums.ge(0.97).all().ToBoolean(), $"row sums {sums.min().ToDouble():F4}–{sums.max().ToDouble():F4}");
        double gap = (p - reference.to_type(ScalarType.Float64)).abs().max().ToDouble();
        Assert.True(gap < 0.1, $"largest probability difference {gap:F3}");
        probabilities.Dispose();
    }

    public void Dispose() => model.Dispose();

    private static Tensor Windows(int count, int seed)
    {
        var random = new Random(seed);
        long[] values = Enumerable.Range(0, count * Small.Window * Small.Dim).Select(_ => (long)Math.Clamp(128 + (random.NextDouble() - 0.5) * 120, 0, 255)).ToArray();
        return tensor(values, [count, Small.Window, Small.Dim]);
    }

    private static Tensor Dequantize(Tensor windows)
    {
        using (windows)
        {
            return (windows.to_type(ScalarType.Float64) - 128) * EmbeddingScale;
        }
    }
}
