using SleepScoring.Training.Models;
using SleepScoring.Training.Training;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Models;

public sealed class ModelTests
{
    public ModelTests() => TorchRuntime.Configure(threads: 1, seed: 3);

    [Fact]
    public void ParameterCount_DefaultModels_MatchHandCountAndStayUnderOneMillion()
    {
        var options = new ModelOptions();
        using var encoder = new EpochEncoder(options);
        using var sequence = new InterEpochTransformer(options);
        long encoderCount = Count(encoder), sequenceCount = Count(sequence);

        // By hand, defaults (64×300 image, 2 bands × 15 segments, dim 64, MLP 128):
        // stem: a patch is (64/2)×(300/15) = 32×20 = 640 pixels: 640·128+128 + BN 2·128 = 82,304;
        // projection 128·64+64 = 8,256; CLS 64; positions 31·64 = 1,984;
        // one layer: 2 LN 256 + qkv 64·192+192 + proj 64·64+64 + MLP 64·128+128 + 128·64+64 = 33,472;
        // 4 layers 133,888; final LN 128 → encoder 226,624.
        Assert.Equal(226_624, encoderCount);
        // Sequence: positions 21·64 = 1,344; 2 layers 66,944; LN 128; head 64·5+5 = 325 → 68,741.
        Assert.Equal(68_741, sequenceCount);
        Assert.True(encoderCount + sequenceCount <= 1_000_000);
    }

    [Theory]
    [InlineData(64, 600, 30)]
    [InlineData(96, 480, 30)]
    [InlineData(64, 720, 30)]
    public void ParameterCount_ProposedGeometries_StayUnderOneMillion(int height, int width, int segments)
    {
        var options = new ModelOptions { ImageHeight = height, ImageWidth = width, Segments = segments };
        using var encoder = new EpochEncoder(options);
        using var sequence = new InterEpochTransformer(options);
        Assert.True(Count(encoder) + Count(sequence) <= 1_000_000);
    }

    [Fact]
    public void EpochEncoder_Forward_GivesEmbeddingsAndAttentionOverBandTimeTokens()
    {
        var options = SmallOptions();
        using var encoder = new EpochEncoder(options);
        encoder.eval();
        using Tensor images = randint(0, 256, [3, options.ImageHeight, options.ImageWidth], ScalarType.Byte);
        (Tensor embedding, IReadOnlyList<Tensor> attention) = encoder.ForwardWithAttention(images);

        Assert.Equal(new long[] { 3, options.Dim }, embedding.shape);
        Assert.Equal(options.EncoderLayers, attention.Count);
        long tokens = 1 + (options.Derivations * options.Segments);
        Assert.Equal(new long[] { 3, options.Heads, tokens, tokens }, attention[0].shape);
        // Softmax rows are probability distributions.
        using Tensor rowSums = attention[0].sum(-1);
        Assert.True(rowSums.allclose(ones_like(rowSums), rtol: 1e-5, atol: 1e-5));
        embedding.Dispose();
        foreach (Tensor map in attention)
        {
            map.Dispose();
        }
    }

    [Fact]
    public void InterEpochTransformer_Forward_GivesLogitsForEveryPosition()
    {
        var options = SmallOptions();
        using var model = new InterEpochTransformer(options);
        using Tensor windows = randn(2, options.Window, options.Dim);
        using Tensor logits = model.forward(windows);
        Assert.Equal(new long[] { 2, options.Window, 5 }, logits.shape);
        Assert.Equal(options.Window / 2, model.Centre);
    }

    [Fact]
    public void EpochEncoder_WrongImageSize_ThrowsNamingShape()
    {
        using var encoder = new EpochEncoder(SmallOptions());
        using Tensor images = zeros([1, 10, 10], ScalarType.Byte);
        var ex = Assert.Throws<ArgumentException>(() => encoder.forward(images));
        Assert.Contains("[1, 10, 10]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelOptions_WidthNotDivisible_ThrowsNamingWidth()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ModelOptions { ImageWidth = 740, Segments = 30 }.Validate());
        Assert.Equal("ImageWidth", ex.ParamName);
    }

    internal static ModelOptions SmallOptions() => new()
    {
        ImageHeight = 16,
        ImageWidth = 48,
        Segments = 6,
        StemChannels = 8,
        Dim = 32,
        Heads = 2,
        MlpDim = 64,
        EncoderLayers = 2,
        SequenceLayers = 1,
        Window = 11,
        Dropout = 0.1,
    };

    private static long Count(TorchSharp.torch.nn.Module module) => module.parameters().Sum(p => p.numel());
}
