using Microsoft.ML.OnnxRuntime.Tensors;

using SleepScoring.Onnx.Proto;

namespace SleepScoring.Onnx.Tests;

public sealed class IntegerOnlyCheckTests
{
    /// <summary>An integer dense layer: uint8 in, int8 weights, int32 accumulator, dyadic requantization to uint8.</summary>
    private static ModelProto IntegerDense(out OnnxGraphBuilder g)
    {
        g = new OnnxGraphBuilder("dense");
        string x = g.Input("x", TensorElementType.UInt8, [null, 2], "batch");
        string w = g.Initializer<sbyte>("w", new sbyte[] { 10, -20, 30, 40 }, 2, 2);
        string acc = g.Node("MatMulInteger", x, w, g.Scalar<byte>("x_zero", 128));
        string wide = g.Node("Cast", [acc], OnnxAttribute.Int("to", (long)TensorElementType.Int64));
        string scaled = g.Node("Mul", wide, g.Scalar("m", 3L));
        string shifted = g.Node("Div", scaled, g.Scalar("two_pow_e", 256L));
        string clipped = g.Node("Clip", shifted, g.Scalar("lo", -128L), g.Scalar("hi", 127L));
        string y = g.Name(g.Node("Cast", [clipped], OnnxAttribute.Int("to", (long)TensorElementType.Int8)), "y");
        g.Output(y, TensorElementType.Int8, [null, 2], "batch");
        return g.Build("test");
    }

    [Fact]
    public void An_integer_dense_layer_has_no_violations_and_runs()
    {
        ModelProto model = IntegerDense(out _);

        Assert.Empty(IntegerOnlyCheck.Violations(model));
        sbyte[] y = OrtRunner.Run<byte, sbyte>(model, ("x", new DenseTensor<byte>(new byte[] { 138, 118 }, [1, 2])));
        // x - 128 = [10, -10]; acc = [10*10 + -10*30, 10*-20 + -10*40] = [-200, -600]; *3/256 truncated = [-2, -7].
        Assert.Equal(new sbyte[] { -2, -7 }, y);
    }

    [Fact]
    public void A_float_initializer_is_a_violation()
    {
        var g = new OnnxGraphBuilder("f");
        string x = g.Input("x", TensorElementType.Int32, [1]);
        string f = g.Node("Cast", [x], OnnxAttribute.Int("to", (long)TensorElementType.Float));
        string y = g.Node("Mul", f, g.Scalar("half", 0.5f));
        string back = g.Node("Cast", [y], OnnxAttribute.Int("to", (long)TensorElementType.Int32));
        g.Output(back, TensorElementType.Int32, [1]);

        IReadOnlyList<string> violations = IntegerOnlyCheck.Violations(g.Build("test"));

        Assert.Contains(violations, v => v.Contains("'half' is Float", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("is Float", StringComparison.Ordinal) && v.Contains("cast", StringComparison.Ordinal));
    }

    [Fact]
    public void A_float_only_operator_is_a_violation_even_between_integer_tensors()
    {
        var g = new OnnxGraphBuilder("q");
        string x = g.Input("x", TensorElementType.Int32, [1]);
        string y = g.Node("QuantizeLinear", x, g.Scalar("scale", 0.1f), g.Scalar<byte>("zero", 0));
        g.Output(y, TensorElementType.UInt8, [1]);

        Assert.Contains(IntegerOnlyCheck.Violations(g.Build("test")), v => v.Contains("QuantizeLinear", StringComparison.Ordinal));
    }

    [Fact]
    public void MatMul_is_integer_arithmetic_on_integer_tensors_and_a_violation_on_float_ones()
    {
        // The graphs sum rows with an int32/int64 MatMul against a column of ones; a float MatMul
        // is still caught, by the type of its tensors.
        var g = new OnnxGraphBuilder("sum");
        string x = g.Input("x", TensorElementType.Int32, [2, 3]);
        string y = g.Node("MatMul", x, g.Initializer<int>("ones", new[] { 1, 1, 1 }, 3, 1));
        g.Output(y, TensorElementType.Int32, [2, 1]);
        var f = new OnnxGraphBuilder("float");
        string fx = f.Input("x", TensorElementType.Float, [2, 3]);
        f.Output(f.Node("MatMul", fx, f.Initializer<float>("ones", new[] { 1f, 1f, 1f }, 3, 1)), TensorElementType.Float, [2, 1]);

        Assert.Empty(IntegerOnlyCheck.Violations(g.Build("test")));
        Assert.Equal(new[] { 6, -15 }, OrtRunner.Run<int>(g.Build("test"), ("x", new DenseTensor<int>(new[] { 1, 2, 3, -4, -5, -6 }, [2, 3]))));
        Assert.Contains(IntegerOnlyCheck.Violations(f.Build("test")), v => v.Contains("is Float", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_operator_is_reported_not_passed()
    {
        var g = new OnnxGraphBuilder("u");
        string x = g.Input("x", TensorElementType.Int32, [1]);
        string y = g.Node("MysteryOp", x);
        g.Output(y, TensorElementType.Int32, [1]);

        Assert.Contains(IntegerOnlyCheck.Violations(g.Build("test")), v => v.Contains("MysteryOp", StringComparison.Ordinal));
    }

    [Fact]
    public void Inferred_types_agree_with_onnx_runtime_for_every_intermediate()
    {
        // Expose every intermediate as an output typed by our inference: ONNX Runtime rejects the
        // model at load if any declared type disagrees with its own inference.
        ModelProto model = IntegerDense(out _);
        IReadOnlyDictionary<string, TensorElementType> types = ElementTypeInference.Infer(model.Graph);
        foreach (string name in model.Graph.Node.SelectMany(n => n.Output).Where(n => model.Graph.Output.All(o => o.Name != n)))
        {
            model.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)types[name] } },
            });
        }

        using var session = OrtRunner.Load(model);
        Assert.Equal(model.Graph.Output.Count, session.OutputMetadata.Count);
    }

    [Fact]
    public void Operator_histogram_counts_nodes()
    {
        IReadOnlyDictionary<string, int> histogram = IntegerOnlyCheck.OperatorHistogram(IntegerDense(out _));

        Assert.Equal(2, histogram["Cast"]);
        Assert.Equal(1, histogram["MatMulInteger"]);
        Assert.Equal(7, histogram.Values.Sum());
    }
}
