using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

using SleepScoring.Onnx.Integer;

namespace SleepScoring.Onnx.Tests;

/// <summary>
/// Pins the integer behaviour of ONNX Runtime's CPU provider that the integer-only exporter is
/// built on (DOMAIN.md, "ONNX Runtime integer behaviour"). If a runtime upgrade changes any of
/// these, the exporter's floor shifts and roundings must change with it.
/// </summary>
public sealed class OnnxRuntimeIntegerSemanticsTests
{
    [Fact]
    public void Div_on_int32_truncates_toward_zero()
    {
        var g = new OnnxGraphBuilder("div");
        string x = g.Input("x", TensorElementType.Int32, [4]);
        string y = g.Node("Div", x, g.Scalar("two", 2));
        g.Output(y, TensorElementType.Int32, [4]);

        int[] result = OrtRunner.Run(g.Build("test"), ("x", new DenseTensor<int>(new[] { -7, 7, -1, -8 }, [4])));

        Assert.Equal(new[] { -3, 3, 0, -4 }, result);
    }

    [Fact]
    public void Mod_with_fmod_0_is_a_floor_remainder()
    {
        var g = new OnnxGraphBuilder("mod");
        string x = g.Input("x", TensorElementType.Int32, [3]);
        string y = g.Node("Mod", x, g.Scalar("four", 4));
        g.Output(y, TensorElementType.Int32, [3]);

        int[] result = OrtRunner.Run(g.Build("test"), ("x", new DenseTensor<int>(new[] { -7, 7, -8 }, [3])));

        // Python-style remainder, sign of the divisor: -7 mod 4 = 1.
        Assert.Equal(new[] { 1, 3, 0 }, result);
    }

    [Fact]
    public void BitShift_is_accepted_on_uint32()
    {
        var g = new OnnxGraphBuilder("shift");
        string x = g.Input("x", TensorElementType.UInt32, [2]);
        string y = g.Node("BitShift", [x, g.Scalar("three", 3u)], OnnxAttribute.String("direction", "RIGHT"));
        g.Output(y, TensorElementType.UInt32, [2]);

        uint[] result = OrtRunner.Run(g.Build("test"), ("x", new DenseTensor<uint>(new[] { 17u, 4_000_000_000u }, [2])));

        Assert.Equal(new[] { 2u, 500_000_000u }, result);
    }

    [Fact]
    public void BitShift_is_refused_on_int32()
    {
        var g = new OnnxGraphBuilder("shift");
        string x = g.Input("x", TensorElementType.Int32, [2]);
        string y = g.Node("BitShift", [x, g.Scalar("three", 3)], OnnxAttribute.String("direction", "RIGHT"));
        g.Output(y, TensorElementType.Int32, [2]);

        Assert.ThrowsAny<OnnxRuntimeException>(() => OrtRunner.Load(g.Build("test")).Dispose());
    }

    [Fact]
    public void Cast_int32_to_int8_wraps_so_clip_must_come_first()
    {
        var g = new OnnxGraphBuilder("cast");
        string x = g.Input("x", TensorElementType.Int32, [3]);
        string y = g.Node("Cast", [x], OnnxAttribute.Int("to", (long)TensorElementType.Int8));
        g.Output(y, TensorElementType.Int8, [3]);

        sbyte[] result = OrtRunner.Run<int, sbyte>(g.Build("test"), ("x", new DenseTensor<int>(new[] { 300, -129, 5 }, [3])));

        Assert.Equal(new sbyte[] { 44, 127, 5 }, result);
    }

    [Fact]
    public void MatMulInteger_u8_by_s8_subtracts_the_activation_zero_point()
    {
        // [1x3] uint8 (zero point 128) times [3x2] int8: computed by hand below.
        var g = new OnnxGraphBuilder("mmi");
        string a = g.Input("a", TensorElementType.UInt8, [1, 3]);
        string w = g.Initializer<sbyte>("w", new sbyte[] { 1, -2, 3, 4, -5, 6 }, 3, 2);
        string y = g.Node("MatMulInteger", a, w, g.Scalar<byte>("a_zero", 128));
        g.Output(y, TensorElementType.Int32, [1, 2]);

        int[] result = OrtRunner.Run<byte, int>(g.Build("test"), ("a", new DenseTensor<byte>(new byte[] { 130, 120, 255 }, [1, 3])));

        // a - 128 = [2, -8, 127]; column 0: 2*1 + -8*3 + 127*-5 = -657; column 1: 2*-2 + -8*4 + 127*6 = 726.
        Assert.Equal(new[] { -657, 726 }, result);
    }

    [Fact]
    public void MatMulInteger_u8_by_u8_is_exact_where_u8_by_s8_byte_pairs_overflow_int16()
    {
        // 255·127 + 255·127 = 64770 > 32767: ONNX Runtime's u8×s8 kernel on x86 CPUs without VNNI
        // (VPMADDUBSW) saturates such pairs (one pair of them came out as 255 instead of 32258 on
        // the AVX2 build machine); so every MatMulInteger of the graphs takes a uint8 operand B
        // with zero point 128 (IntegerOps.MatMulInteger).
        var g = new OnnxGraphBuilder("u8u8");
        string a = g.Input("a", TensorElementType.UInt8, [2, 4]);
        string w = g.Weights(new sbyte[] { 127, -127, 127, -127, 127, -127, 127, -127 }, [4, 2]);
        g.Output(g.MatMulInteger(a, 128, w), TensorElementType.Int32, [2, 2]);

        int[] result = OrtRunner.Run<byte, int>(g.Build("test"), ("a", new DenseTensor<byte>(new byte[] { 255, 255, 255, 255, 0, 0, 0, 0 }, [2, 4])));

        // (255 − 128)·127·4 = 64516 and (0 − 128)·127·4 = −65024, with the signs of each column.
        Assert.Equal(new[] { 64516, -64516, -65024, 65024 }, result);
    }

    [Fact]
    public void Gather_reads_an_integer_lookup_table()
    {
        var g = new OnnxGraphBuilder("lut");
        string x = g.Input("x", TensorElementType.UInt8, [3]);
        string index = g.Node("Cast", [x], OnnxAttribute.Int("to", (long)TensorElementType.Int32));
        int[] table = Enumerable.Range(0, 256).Select(i => (i * i) - 7).ToArray();
        string y = g.Node("Gather", g.Initializer<int>("table", table, 256), index);
        g.Output(y, TensorElementType.Int32, [3]);

        int[] result = OrtRunner.Run<byte, int>(g.Build("test"), ("x", new DenseTensor<byte>(new byte[] { 0, 3, 255 }, [3])));

        Assert.Equal(new[] { -7, 2, (255 * 255) - 7 }, result);
    }
}
