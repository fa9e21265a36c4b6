using SleepScoring.Onnx;
using SleepScoring.Onnx.Integer;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// One pre-LN transformer layer (<c>Models.TransformerLayer</c>) in integers: I-LayerNorm,
/// MatMulInteger for Q/K/V (all uint8, zero point 128; K and V are operand B of the attention products), Shiftmax,
/// attention·V, projection, 16-bit residual add, I-LayerNorm, MLP with ShiftGELU, residual add.
/// <see cref="Simulate"/> and <see cref="Emit"/> perform the same steps.
/// </summary>
public sealed class IntegerTransformerLayer
{
    private const long ResidualMin = short.MinValue, ResidualMax = short.MaxValue;

    private readonly int dim;
    private readonly int width;
    private readonly int heads;
    private readonly IntegerLayerNorm norm1;
    private readonly QuantizedWeights qkv;
    private readonly Requantization qkvOut;
    private readonly ShiftmaxTable softmax;
    private readonly Requantization context;
    private readonly QuantizedWeights projection;
    private readonly Requantization projectionOut;
    private readonly IntegerLayerNorm norm2;
    private readonly QuantizedWeights expand;
    private readonly Requantization expandOut;
    private readonly ShiftGeluTable gelu;
    private readonly QuantizedWeights contract;
    private readonly Requantization contractOut;

    /// <summary>Output bits of the attention Shiftmax: p ∈ [0, 2^8), stored as uint8.</summary>
    public const int AttentionBits = 9;

    private IntegerTransformerLayer(ParameterSet p, string prefix, int heads, int tokens, double residualScale, ActivationRanges ranges, FunctionTables tables)
    {
        this.heads = heads;
        dim = (int)p[$"{prefix}attentionNorm.weight"].shape[0];
        width = AttentionWidth(p, prefix);
        double a = ranges.Scale($"{prefix}ln1", 127), q = ranges.Scale($"{prefix}q", 127), k = ranges.Scale($"{prefix}k", 127),
            v = ranges.Scale($"{prefix}v", 127), c = ranges.Scale($"{prefix}ctx", 127), m = ranges.Scale($"{prefix}ln2", 127),
            h = ranges.Scale($"{prefix}fc1", 127), g = ranges.Scale($"{prefix}gelu", 127);
        norm1 = Norm(p, $"{prefix}attentionNorm", a);
        qkv = QuantizedWeights.Linear(p[$"{prefix}queryKeyValue.weight"], p[$"{prefix}queryKeyValue.bias"], a);
        // Q, K and V in one requantization (one scale per channel), split afterwards as bytes.
        double[] ratios = qkv.Ratios(1);
        qkvOut = new Requantization([.. ratios.Select((r, c) => r / (c < width ? q : c < 2 * width ? k : v))], RequantizedType.UInt8, qkv.AccumulatorBound(128));
        // 9-bit Shiftmax: probabilities in [0, 255] at scale 2^−8 use all of uint8 (I-ViT's [0, 127] at 2^−7 wastes a bit).
        softmax = ShiftmaxTable.Create(q * k / Math.Sqrt(width / heads), tokens, AttentionBits, tables);
        context = new Requantization([v * softmax.OutputScale / c], RequantizedType.UInt8, (long)tokens * 255 * 128);
        projection = QuantizedWeights.Linear(p[$"{prefix}projection.weight"], p[$"{prefix}projection.bias"], c);
        projectionOut = new Requantization(projection.Ratios(residualScale), RequantizedType.Int16InInt32, projection.AccumulatorBound(128));
        norm2 = Norm(p, $"{prefix}mlpNorm", m);
        expand = QuantizedWeights.Linear(p[$"{prefix}expand.weight"], p[$"{prefix}expand.bias"], m);
        expandOut = new Requantization(expand.Ratios(h), RequantizedType.UInt8, expand.AccumulatorBound(128));
        gelu = ShiftGeluTable.Create(h, g, tables);
        contract = QuantizedWeights.Linear(p[$"{prefix}contract.weight"], p[$"{prefix}contract.bias"], g);
        contractOut = new Requantization(contract.Ratios(residualScale), RequantizedType.Int16InInt32, contract.AccumulatorBound(128));
    }

    /// <summary>Quantizes layer <paramref name="prefix"/> of <paramref name="p"/> with calibrated <paramref name="ranges"/>.</summary>
    public static IntegerTransformerLayer Create(ParameterSet p, string prefix, int heads, int tokens, double residualScale, ActivationRanges ranges, FunctionTables tables = FunctionTables.IVitShifts) =>
        new(p, prefix, heads, tokens, residualScale, ranges, tables);

    /// <summary>
    /// Float forward of the same layer (eval mode) from the parameters, recording the range at every
    /// quantization point; returns the layer's output.
    /// </summary>
    public static Tensor Calibrate(ParameterSet p, string prefix, int heads, Tensor x, ActivationRanges ranges)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(ranges);
        using var scope = NewDisposeScope();
        long n = x.shape[0], t = x.shape[1], d = AttentionWidth(p, prefix);
        Tensor a = LayerNorm(p, $"{prefix}attentionNorm", x);
        ranges.Observe($"{prefix}ln1", a);
        Tensor qkvOutput = nn.functional.linear(a, p[$"{prefix}queryKeyValue.weight"], p[$"{prefix}queryKeyValue.bias"]);
        Tensor[] parts = qkvOutput.split(d, -1);
        ranges.Observe($"{prefix}q", parts[0]);
        ranges.Observe($"{prefix}k", parts[1]);
        ranges.Observe($"{prefix}v", parts[2]);
        Tensor Heads(Tensor y) => y.view(n, t, heads, d / heads).transpose(1, 2);
        Tensor probabilities = Heads(parts[0]).matmul(Heads(parts[1]).transpose(-2, -1)).Times(1 / Math.Sqrt(d / heads)).softmax(-1);
        Tensor mixed = probabilities.matmul(Heads(parts[2])).transpose(1, 2).reshape(n, t, d);
        ranges.Observe($"{prefix}ctx", mixed);
        Tensor afterAttention = x.Plus(nn.functional.linear(mixed, p[$"{prefix}projection.weight"], p[$"{prefix}projection.bias"]));
        ranges.Observe("residual", afterAttention);
        Tensor mlpInput = LayerNorm(p, $"{prefix}mlpNorm", afterAttention);
        ranges.Observe($"{prefix}ln2", mlpInput);
        Tensor hidden = nn.functional.linear(mlpInput, p[$"{prefix}expand.weight"], p[$"{prefix}expand.bias"]);
        ranges.Observe($"{prefix}fc1", hidden);
        Tensor activated = nn.functional.gelu(hidden);
        ranges.Observe($"{prefix}gelu", activated);
        Tensor output = afterAttention.Plus(nn.functional.linear(activated, p[$"{prefix}contract.weight"], p[$"{prefix}contract.bias"]));
        ranges.Observe("residual", output);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Integer forward on the int64 residual stream [N, T, D]; returns it and the attention probabilities [N, H, T, T].</summary>
    public (Tensor Residual, Tensor Attention) Simulate(Tensor residual)
    {
        ArgumentNullException.ThrowIfNull(residual);
        using var scope = NewDisposeScope();
        long n = residual.shape[0], t = residual.shape[1];
        Tensor a = IntegerSimulation.LayerNorm(residual, norm1);
        Tensor acc = IntegerSimulation.MatMulInteger(a, 128, qkv.WeightTensor()).Plus(qkv.BiasTensor(qkv.Channels));
        Tensor[] parts = IntegerSimulation.Requantize(acc, qkvOut).split(width, -1);
        Tensor query = parts[0].reshape(n, t, heads, width / heads).transpose(1, 2);
        Tensor key = parts[1].reshape(n, t, heads, width / heads).permute(0, 2, 3, 1);
        Tensor value = parts[2].reshape(n, t, heads, width / heads).transpose(1, 2);
        Tensor probabilities = IntegerSimulation.Shiftmax(IntegerSimulation.MatMulInteger(query, 128, key, IntegerOps.OperandBZeroPoint), softmax);
        Tensor mixed = IntegerSimulation.MatMulInteger(probabilities, 0, value, IntegerOps.OperandBZeroPoint).transpose(1, 2).reshape(n, t, width);
        Tensor c = IntegerSimulation.Requantize(mixed, context);
        Tensor projected = IntegerSimulation.MatMulInteger(c, 128, projection.WeightTensor()).Plus(projection.BiasTensor(dim));
        Tensor afterAttention = residual.Plus(IntegerSimulation.Requantize(projected, projectionOut)).Clamp(ResidualMin, ResidualMax);
        Tensor mlpInput = IntegerSimulation.LayerNorm(afterAttention, norm2);
        Tensor hidden = IntegerSimulation.MatMulInteger(mlpInput, 128, expand.WeightTensor()).Plus(expand.BiasTensor(expand.Channels));
        Tensor activated = IntegerSimulation.ShiftGelu(IntegerSimulation.Requantize(hidden, expandOut), gelu);
        Tensor contracted = IntegerSimulation.MatMulInteger(activated, 128, contract.WeightTensor()).Plus(contract.BiasTensor(dim));
        Tensor output = afterAttention.Plus(IntegerSimulation.Requantize(contracted, contractOut)).Clamp(ResidualMin, ResidualMax);
        return (output.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The same layer as ONNX nodes; returns the new residual stream and the attention probabilities.
    /// With <paramref name="onlyToken"/> (the last layer, whose other tokens nothing reads) the stream
    /// comes out for that token alone, [batch, 1, Dim]: the whole attention map, then that token's
    /// row only through the value mix, projection and MLP — the same integers for it, a fraction of the work.
    /// </summary>
    public (string Residual, string Attention) Emit(OnnxGraphBuilder g, string residual, string name, int? onlyToken = null)
    {
        ArgumentNullException.ThrowIfNull(g);
        string a = g.LayerNorm(residual, norm1, $"{name}_ln1");
        string product = g.MatMulInteger(a, 128, Weights(g, qkv, $"{name}_qkv"), $"{name}_qkv");
        string qkvBytes = g.Requantize(product, qkvOut, qkv.Bias, $"{name}_qkv_rq");
        string[] parts = g.Node("Split", [qkvBytes, g.Initializer<long>($"{name}_split", [width, width, width], 3)], 3, OnnxAttribute.Int("axis", -1));
        string headShape = g.Initializer<long>($"{name}_heads", [0, 0, heads, width / heads], 4);
        string Heads(string x, long[] perm) => g.Node("Transpose", [g.Node("Reshape", x, headShape)], OnnxAttribute.Ints("perm", perm));
        string query = Heads(parts[0], [0, 2, 1, 3]);
        string key = Heads(parts[1], [0, 2, 3, 1]);
        string value = Heads(parts[2], [0, 2, 1, 3]);
        string scores = g.MatMulInteger(query, 128, key, $"{name}_scores");
        string probabilities = g.Shiftmax(scores, softmax, $"{name}_softmax");
        string rows = probabilities;
        if (onlyToken is int token)
        {
            rows = TokenRow(g, probabilities, 2, token, $"{name}_query_row");
            residual = TokenRow(g, residual, 1, token, $"{name}_residual_row");
        }

        string mixed = g.MatMulInteger(rows, 0, value, $"{name}_mix");
        // One scale for the whole tensor: requantize first, then merge the heads as bytes (a quarter of the int32 transpose).
        string c = g.Requantize(mixed, context, name: $"{name}_ctx");
        c = g.Node("Reshape", g.Node("Transpose", [c], OnnxAttribute.Ints("perm", 0, 2, 1, 3)), g.Initializer<long>($"{name}_merge", [0, 0, width], 3));
        string projected = g.MatMulInteger(c, 128, Weights(g, projection, $"{name}_proj"), $"{name}_proj");
        string afterAttention = ResidualAdd(g, residual, g.Requantize(projected, projectionOut, projection.Bias, $"{name}_proj_rq"), $"{name}_res1");
        string m = g.LayerNorm(afterAttention, norm2, $"{name}_ln2");
        string hidden = g.MatMulInteger(m, 128, Weights(g, expand, $"{name}_fc1"), $"{name}_fc1");
        string activated = g.RequantizeLookup(hidden, expandOut, gelu.Table, expand.Bias, $"{name}_gelu");
        string contracted = g.MatMulInteger(activated, 128, Weights(g, contract, $"{name}_fc2"), $"{name}_fc2");
        string output = ResidualAdd(g, afterAttention, g.Requantize(contracted, contractOut, contract.Bias, $"{name}_fc2_rq"), $"{name}_res2");
        return (output, probabilities);
    }

    /// <summary>Row <paramref name="token"/> of <paramref name="axis"/>, the axis kept (length 1).</summary>
    internal static string TokenRow(OnnxGraphBuilder g, string x, int axis, int token, string name) =>
        g.Node("Slice", x, g.Initializer<long>($"{name}_start", [token], 1), g.Initializer<long>($"{name}_end", [token + 1], 1), g.Initializer<long>($"{name}_axis", [axis], 1));

    /// <summary>r + branch, saturated to 16 bits (I-ViT keeps the residual stream at 16 bits).</summary>
    internal static string ResidualAdd(OnnxGraphBuilder g, string residual, string branch, string name) =>
        g.Node("Clip", g.Node("Add", residual, branch), g.Scalar($"{name}_lo", (int)ResidualMin), g.Scalar($"{name}_hi", (int)ResidualMax));

    /// <summary>Width of Q, K, V of layer <paramref name="prefix"/> (all heads): a third of the fused projection's outputs; below the token width when heads were pruned.</summary>
    internal static int AttentionWidth(ParameterSet p, string prefix) => (int)p[$"{prefix}queryKeyValue.weight"].shape[0] / 3;

    internal static string Weights(OnnxGraphBuilder g, QuantizedWeights w, string name) => g.Weights(w.Weights, w.Shape, $"{name}_w");

    internal static Tensor LayerNorm(ParameterSet p, string name, Tensor x) =>
        nn.functional.layer_norm(x, [x.shape[^1]], p[$"{name}.weight"], p[$"{name}.bias"], 1e-5);

    private static IntegerLayerNorm Norm(ParameterSet p, string name, double outputScale) =>
        new(p[$"{name}.weight"].data<double>().ToArray(), p[$"{name}.bias"].data<double>().ToArray(), outputScale);
}
