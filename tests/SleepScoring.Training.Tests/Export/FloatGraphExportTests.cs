using Google.Protobuf;

using Microsoft.ML.OnnxRuntime;

using SleepScoring.Training.Export;
using SleepScoring.Training.Models;
using SleepScoring.Training.Tests.Quantization;

using TorchSharp;

using static TorchSharp.torch;

using OrtTensors = Microsoft.ML.OnnxRuntime.Tensors;

namespace SleepScoring.Training.Tests.Export;

/// <summary>The float ONNX graphs compute what the TorchSharp models compute (eval mode).</summary>
public sealed class FloatGraphExportTests
{
    private static readonly ModelOptions Small = Quantization.TestEpochImages.SmallModel with { SequenceLayers = 2, Window = 5 };

    [Fact]
    public void Encoder_graph_equals_the_model()
    {
        torch.manual_seed(3);
        using var encoder = new EpochEncoder(Small);
        encoder.eval();
        using Tensor images = TestEpochImages.Create(Small, 10, seed: 5);
        (Tensor embedding, IReadOnlyList<Tensor> attention) = encoder.ForwardWithAttention(images);
        using var session = new InferenceSession(FloatGraphExport.Encoder(encoder, "test").ToByteArray());
        byte[] pixels = images.to_type(ScalarType.Byte).data<byte>().ToArray();

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = session.Run(
            [NamedOnnxValue.CreateFromTensor("image", new OrtTensors.DenseTensor<byte>(pixels, [10, Small.ImageHeight, Small.ImageWidth]))]);

        AssertClose(embedding, outputs.First(o => o.Name == "embedding").AsTensor<float>().ToArray());
        AssertClose(attention[^1], outputs.First(o => o.Name == $"attention_{Small.EncoderLayers - 1}").AsTensor<float>().ToArray());
    }

    [Fact]
    public void Encoder_graph_equals_the_model_when_pruned_heads_make_the_attention_narrower_than_the_tokens()
    {
        // Three heads of width 8 (as structured pruning leaves them): Q, K, V and the attention output are 24 wide, the tokens 32.
        ModelOptions narrow = Small with { Heads = 3, HeadWidth = 8 };
        torch.manual_seed(6);
        using var encoder = new EpochEncoder(narrow);
        encoder.eval();
        using Tensor images = TestEpochImages.Create(narrow, 10, seed: 5);
        (Tensor embedding, IReadOnlyList<Tensor> attention) = encoder.ForwardWithAttention(images);
        using var session = new InferenceSession(FloatGraphExport.Encoder(encoder, "test").ToByteArray());
        byte[] pixels = images.to_type(ScalarType.Byte).data<byte>().ToArray();

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = session.Run(
            [NamedOnnxValue.CreateFromTensor("image", new OrtTensors.DenseTensor<byte>(pixels, [10, narrow.ImageHeight, narrow.ImageWidth]))]);

        Assert.Equal(24, narrow.AttentionWidth);
        AssertClose(embedding, outputs.First(o => o.Name == "embedding").AsTensor<float>().ToArray());
        AssertClose(attention[^1], outputs.First(o => o.Name == $"attention_{narrow.EncoderLayers - 1}").AsTensor<float>().ToArray());
    }

    [Fact]
    public void Sequence_graph_equals_the_model_at_the_centre_epoch()
    {
        torch.manual_seed(4);
        using var model = new InterEpochTransformer(Small);
        model.eval();
        using Tensor windows = randn(12, Small.Window, Small.Dim);
        using Tensor expected = model.forward(windows).select(1, Small.Window / 2).softmax(-1);
        using var session = new InferenceSession(FloatGraphExport.Sequence(model, "test").ToByteArray());

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = session.Run(
            [NamedOnnxValue.CreateFromTensor("embeddings", new OrtTensors.DenseTensor<float>(windows.data<float>().ToArray(), [12, Small.Window, Small.Dim]))]);

        AssertClose(expected, outputs.First(o => o.Name == "probabilities").AsTensor<float>().ToArray());
    }

    private static void AssertClose(Tensor expected, float[] actual)
    {
        float[] reference = expected.data<float>().ToArray();
        Assert.Equal(reference.Length, actual.Length);
        double worst = reference.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-4, $"largest difference {worst:E2}");
    }
}
