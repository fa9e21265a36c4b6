using Microsoft.ML.OnnxRuntime.Tensors;

namespace SleepScoring.Onnx.Tests;

/// <summary>ConvInteger, used by the convolutional stem, takes uint8 images with int8 or uint8 weights.</summary>
public sealed class ConvIntegerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConvInteger_subtracts_zero_points_with_int8_or_uint8_weights(bool signedWeights)
    {
        var g = new OnnxGraphBuilder("conv");
        string x = g.Input("x", TensorElementType.UInt8, [1, 1, 3, 3]);
        string w = signedWeights
            ? g.Initializer<sbyte>("w", new sbyte[] { 1, -1, 2, 0 }, 1, 1, 2, 2)
            : g.Initializer<byte>("w", new byte[] { 129, 127, 130, 128 }, 1, 1, 2, 2);
        string y = signedWeights
            ? g.Node("ConvInteger", x, w, g.Scalar<byte>("xz", 128))
            : g.Node("ConvInteger", x, w, g.Scalar<byte>("xz", 128), g.Scalar<byte>("wz", 128));
        g.Output(y, TensorElementType.Int32, [1, 1, 2, 2]);
        // x − 128 = [[1,2,3],[4,5,6],[7,8,9]]; kernel [[1,−1],[2,0]] at the four positions, by hand.
        int[] r = OrtRunner.Run<byte, int>(g.Build("t"), ("x", new DenseTensor<byte>(new byte[] { 129, 130, 131, 132, 133, 134, 135, 136, 137 }, [1, 1, 3, 3])));
        Assert.Equal(new[] { 1 - 2 + 8, 2 - 3 + 10, 4 - 5 + 14, 5 - 6 + 16 }, r);
    }
}

/// <summary>How ConvInteger pads: the integer stem relies on padding with the zero point (a real zero).</summary>
public sealed class ConvIntegerPaddingTests
{
    [Fact]
    public void ConvInteger_pads_with_the_input_zero_point()
    {
        var g = new OnnxGraphBuilder("conv");
        string x = g.Input("x", TensorElementType.UInt8, [1, 1, 1, 1]);
        string w = g.Initializer<sbyte>("w", new sbyte[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 1, 1, 3, 3);
        string y = g.Node("ConvInteger", [x, w, g.Scalar<byte>("xz", 128)], OnnxAttribute.Ints("pads", 1, 1, 1, 1));
        g.Output(y, TensorElementType.Int32, [1, 1, 1, 1]);

        int[] r = OrtRunner.Run<byte, int>(g.Build("t"), ("x", new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<byte>(new byte[] { 138 }, [1, 1, 1, 1])));

        // Centre 138 − 128 = 10; the eight padded taps contribute 0 if padding is the zero point,
        // 8·(0 − 128) = −1024 if it is a raw 0.
        Assert.Equal(10, r[0]);
    }
}
