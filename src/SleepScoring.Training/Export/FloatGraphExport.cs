using SleepScoring.Onnx;
using SleepScoring.Onnx.Proto;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Export;

/// <summary>
/// The float ONNX graphs of the same models, for comparison with the integer ones (accuracy and
/// speed): standard operators (the same patch extraction, MatMul with BatchNorm folded, LayerNormalization, Softmax,
/// GELU as x·½·(1 + erf(x/√2))), same inputs (uint8 image; float embeddings in the inter-epoch
/// graph) and the same output names.
/// </summary>
public static class FloatGraphExport
{
    private const int Opset = 17;

    /// <summary>The float encoder: <c>image</c> uint8 [batch, H, W] → <c>embedding</c> float [batch, Dim], <c>attention_i</c>.</summary>
    public static ModelProto Encoder(EpochEncoder encoder, string version)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ModelOptions o = encoder.Options;
        using var p = new ParameterSet(encoder);
        var g = new OnnxGraphBuilder("epoch_encoder_float", Opset);
        int tokens = o.Tokens + 1;
        string image = g.Input("image", TensorElementType.UInt8, [null, o.ImageHeight, o.ImageWidth], "batch");
        string x = g.Node("Cast", [image], OnnxAttribute.Int("to", (long)TensorElementType.Float));
        x = g.Node("Mul", g.Node("Sub", x, g.Scalar("pixel_zero", 128f)), g.Scalar("pixel_scale", 1f / 128));
        x = IntegerEpochEncoder.EmitPatches(g, x, o);
        (Tensor stemWeight, Tensor stemBias) = IntegerEpochEncoder.FoldBatchNorm(p, "stem");
        using (stemWeight)
        using (stemBias)
        using (Tensor rows = stemWeight.flatten(1).t().contiguous())
        {
            float[] weights = IntegerEpochEncoder.InGraphPixelOrder(o, rows.to_type(ScalarType.Float32).data<float>().ToArray(), (int)rows.shape[1]);
            x = g.Node("Relu", g.Node("Add", g.Node("MatMul", x, g.Initializer<float>("stem_w", weights, rows.shape)), Floats(g, "stem_b", stemBias)));
        }

        using (Tensor projection = p["patch.weight"].flatten(1).t().contiguous())
        {
            x = g.Node("Add", g.Node("MatMul", x, Floats(g, "patch_w", projection)), Floats(g, "patch_b", p["patch.bias"]));
        }

        string batchDim = g.Node("Slice", g.Node("Shape", image), g.Initializer<long>("zero", [0], 1), g.Initializer<long>("one", [1], 1));
        string clsShape = g.Node("Concat", [batchDim, g.Initializer<long>("cls_rest", [1, o.Dim], 2)], OnnxAttribute.Int("axis", 0));
        string cls = g.Node("Expand", Floats(g, "cls", p["cls"]), clsShape);
        string stream = g.Node("Add", g.Node("Concat", [cls, x], OnnxAttribute.Int("axis", 1)), Floats(g, "position", p["position"]));
        var attention = new List<string>();
        for (int i = 0; i < o.EncoderLayers; i++)
        {
            (stream, string map) = Layer(g, p, $"layers.{i}.", $"layer{i}", o.Heads, stream, i == o.EncoderLayers - 1 ? 0 : null);
            attention.Add(map);
        }

        string normalised = LayerNorm(g, p, "norm", stream, "final_ln");
        string embedding = g.Name(g.Node("Gather", [normalised, g.Scalar("cls_index", 0L)], OnnxAttribute.Int("axis", 1)), "embedding");
        g.Output(embedding, TensorElementType.Float, [null, o.Dim], "batch");
        for (int i = 0; i < attention.Count; i++)
        {
            g.Output(g.Name(attention[i], $"attention_{i}"), TensorElementType.Float, [null, o.Heads, tokens, tokens], "batch");
        }

        return g.Build(version);
    }

    /// <summary>The float inter-epoch model: <c>embeddings</c> float [batch, L, Dim] → <c>probabilities</c> float [batch, Classes] of the centre epoch, <c>attention_i</c>.</summary>
    public static ModelProto Sequence(InterEpochTransformer model, string version)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelOptions o = model.Options;
        using var p = new ParameterSet(model);
        var g = new OnnxGraphBuilder("inter_epoch_float", Opset);
        string input = g.Input("embeddings", TensorElementType.Float, [null, o.Window, o.Dim], "batch");
        string stream = g.Node("Add", input, Floats(g, "position", p["position"]));
        var attention = new List<string>();
        for (int i = 0; i < o.SequenceLayers; i++)
        {
            (stream, string map) = Layer(g, p, $"layers.{i}.", $"layer{i}", o.Heads, stream, i == o.SequenceLayers - 1 ? o.Window / 2 : null);
            attention.Add(map);
        }

        // The last layer kept the centre epoch's token alone.
        string centre = g.Node("Gather", [stream, g.Scalar("centre", 0L)], OnnxAttribute.Int("axis", 1));
        string logits = Linear(g, p, "head", LayerNorm(g, p, "norm", centre, "final_ln"), "head");
        string probabilities = g.Name(g.Node("Softmax", [logits], OnnxAttribute.Int("axis", -1)), "probabilities");
        g.Output(probabilities, TensorElementType.Float, [null, o.Classes], "batch");
        for (int i = 0; i < attention.Count; i++)
        {
            g.Output(g.Name(attention[i], $"attention_{i}"), TensorElementType.Float, [null, o.Heads, o.Window, o.Window], "batch");
        }

        return g.Build(version);
    }

    /// <summary>
    /// One pre-LN layer, as <c>Models.TransformerLayer</c> computes it (eval mode); with
    /// <paramref name="onlyToken"/> the output is that token's alone, as in the integer graphs
    /// (<see cref="IntegerTransformerLayer.Emit"/>), so both graphs do the same work.
    /// </summary>
    private static (string Output, string Attention) Layer(OnnxGraphBuilder g, ParameterSet p, string prefix, string name, int heads, string input, int? onlyToken = null)
    {
        string a = LayerNorm(g, p, $"{prefix}attentionNorm", input, $"{name}_ln1");
        string qkv = Linear(g, p, $"{prefix}queryKeyValue", a, $"{name}_qkv");
        int width = IntegerTransformerLayer.AttentionWidth(p, prefix);
        string[] parts = g.Node("Split", [qkv, g.Initializer<long>($"{name}_split", [width, width, width], 3)], 3, OnnxAttribute.Int("axis", -1));
        string headShape = g.Initializer<long>($"{name}_heads", [0, 0, heads, width / heads], 4);
        string Heads(string x, long[] perm) => g.Node("Transpose", [g.Node("Reshape", x, headShape)], OnnxAttribute.Ints("perm", perm));
        string scores = g.Node("Mul", g.Node("MatMul", Heads(parts[0], [0, 2, 1, 3]), Heads(parts[1], [0, 2, 3, 1])), g.Scalar($"{name}_scale", (float)(1 / Math.Sqrt(width / heads))));
        string probabilities = g.Node("Softmax", [scores], OnnxAttribute.Int("axis", -1));
        string rows = probabilities;
        if (onlyToken is int token)
        {
            rows = IntegerTransformerLayer.TokenRow(g, probabilities, 2, token, $"{name}_query_row");
            input = IntegerTransformerLayer.TokenRow(g, input, 1, token, $"{name}_residual_row");
        }

        string mixed = g.Node("MatMul", rows, Heads(parts[2], [0, 2, 1, 3]));
        mixed = g.Node("Reshape", g.Node("Transpose", [mixed], OnnxAttribute.Ints("perm", 0, 2, 1, 3)), g.Initializer<long>($"{name}_merge", [0, 0, width], 3));
        string afterAttention = g.Node("Add", input, Linear(g, p, $"{prefix}projection", mixed, $"{name}_proj"));
        string hidden = Linear(g, p, $"{prefix}expand", LayerNorm(g, p, $"{prefix}mlpNorm", afterAttention, $"{name}_ln2"), $"{name}_fc1");
        string erf = g.Node("Erf", g.Node("Div", hidden, g.Scalar($"{name}_sqrt2", (float)Math.Sqrt(2))));
        string gelu = g.Node("Mul", g.Node("Mul", hidden, g.Node("Add", erf, g.Scalar($"{name}_one", 1f))), g.Scalar($"{name}_half", 0.5f));
        string output = g.Node("Add", afterAttention, Linear(g, p, $"{prefix}contract", gelu, $"{name}_fc2"));
        return (output, probabilities);
    }

    private static string Linear(OnnxGraphBuilder g, ParameterSet p, string module, string x, string name)
    {
        using Tensor transposed = p[$"{module}.weight"].t().contiguous();
        return g.Node("Add", g.Node("MatMul", x, Floats(g, $"{name}_w", transposed)), Floats(g, $"{name}_b", p[$"{module}.bias"]));
    }

    private static string LayerNorm(OnnxGraphBuilder g, ParameterSet p, string module, string x, string name) =>
        g.Node("LayerNormalization", [x, Floats(g, $"{name}_g", p[$"{module}.weight"]), Floats(g, $"{name}_b", p[$"{module}.bias"])],
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", 1e-5f));

    private static string Floats(OnnxGraphBuilder g, string name, Tensor values)
    {
        using Tensor f = values.to_type(ScalarType.Float32).contiguous();
        return g.Initializer<float>(name, f.data<float>().ToArray(), f.shape);
    }
}
