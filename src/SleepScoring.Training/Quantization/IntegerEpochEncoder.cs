using SleepScoring.Onnx;
using SleepScoring.Onnx.Integer;
using SleepScoring.Onnx.Proto;
using SleepScoring.Training.Models;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// The epoch encoder in integers: uint8 image → patches (Reshape/Transpose) → MatMulInteger stem
/// (BatchNorm folded, ReLU fused into the requantization) → MatMulInteger projection → 16-bit
/// residual stream with CLS and position
/// → integer transformer layers → I-LayerNorm → uint8 embedding of the CLS token. Built by
/// post-training calibration of a float <see cref="EpochEncoder"/>; <see cref="Simulate"/> (TorchSharp)
/// and <see cref="Export"/> (ONNX) compute the same integers.
/// </summary>
public sealed class IntegerEpochEncoder
{
    private const double BatchNormEpsilon = 1e-5;
    private const double PixelScale = 1.0 / 128; // the float model reads (u − 128) / 128

    private readonly ModelOptions options;
    private readonly QuantizedWeights stem;
    private readonly Requantization stemOut;
    private readonly QuantizedWeights patch;
    private readonly Requantization patchOut;
    private readonly int[] cls;
    private readonly int[] position;
    private readonly IntegerTransformerLayer[] layers;
    private readonly IntegerLayerNorm norm;

    private IntegerEpochEncoder(ModelOptions options, ParameterSet p, ActivationRanges ranges, FunctionTables tables)
    {
        this.options = options;
        double stemScale = ranges.Scale("stem", 255), residual = ranges.Scale("residual", short.MaxValue);
        ResidualScale = residual;
        (Tensor w, Tensor b) = FoldBatchNorm(p, "stem");
        using (w)
        using (b)
        using (Tensor rows = w.flatten(1))
        {
            // 7-bit stem weights: its 2560-pixel patches are most of the encoder's MACs, and at ±64 ONNX
            // Runtime's fast u8×s8 kernel is exact on every CPU (IntegerOps.SignedWeightLimit).
            stem = QuantizedWeights.Linear(rows, b, PixelScale, IntegerOps.SignedWeightLimit);
        }

        stemOut = new Requantization(stem.Ratios(stemScale), RequantizedType.UInt8Relu, stem.AccumulatorBound(128));
        using (Tensor projection = p["patch.weight"].flatten(1))
        {
            patch = QuantizedWeights.Linear(projection, p["patch.bias"], stemScale);
        }

        patchOut = new Requantization(patch.Ratios(residual), RequantizedType.Int16InInt32, patch.AccumulatorBound(255));
        cls = Residual(p["cls"], residual);
        position = Residual(p["position"], residual);
        layers = Enumerable.Range(0, options.EncoderLayers)
            .Select(i => IntegerTransformerLayer.Create(p, $"layers.{i}.", options.Heads, options.Tokens + 1, residual, ranges, tables))
            .ToArray();
        EmbeddingScale = ranges.Scale("final", 127);
        norm = new IntegerLayerNorm(p["norm.weight"].data<double>().ToArray(), p["norm.bias"].data<double>().ToArray(), EmbeddingScale);
    }

    /// <summary>Real value of one step of the residual stream.</summary>
    public double ResidualScale { get; }

    /// <summary>Real value of one step of the uint8 embedding (zero point 128).</summary>
    public double EmbeddingScale { get; }

    /// <summary>Calibrates <paramref name="encoder"/> (eval mode) on uint8 <paramref name="images"/> [N, H, W] and quantizes it.</summary>
    public static IntegerEpochEncoder Quantize(EpochEncoder encoder, Tensor images, FunctionTables tables = FunctionTables.IVitShifts)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(images);
        using var p = new ParameterSet(encoder);
        var ranges = new ActivationRanges();
        using (no_grad())
        {
            using Tensor embedding = CalibrationForward(encoder.Options, p, images, ranges);
        }

        return new IntegerEpochEncoder(encoder.Options, p, ranges, tables);
    }

    /// <summary>
    /// Float forward from the parameters with BatchNorm folded, as the integer model is built; equals
    /// the encoder's own eval-mode forward. Records the ranges of every quantization point.
    /// </summary>
    public static Tensor CalibrationForward(ModelOptions options, ParameterSet p, Tensor images, ActivationRanges ranges)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(ranges);
        using var scope = NewDisposeScope();
        Tensor pixels = Patches(options, images.to_type(ScalarType.Float64)).Minus(128).Times(PixelScale);
        (Tensor w, Tensor b) = FoldBatchNorm(p, "stem");
        Tensor x = nn.functional.relu(nn.functional.linear(pixels, w.flatten(1), b));
        ranges.Observe("stem", x);
        Tensor tokens = nn.functional.linear(x, p["patch.weight"].flatten(1), p["patch.bias"]);
        long batch = tokens.shape[0];
        Tensor stream = cat([p["cls"].expand(batch, 1, options.Dim), tokens], 1).Plus(p["position"]);
        ranges.Observe("residual", stream);
        for (int i = 0; i < options.EncoderLayers; i++)
        {
            stream = IntegerTransformerLayer.Calibrate(p, $"layers.{i}.", options.Heads, stream, ranges);
        }

        Tensor normalised = IntegerTransformerLayer.LayerNorm(p, "norm", stream);
        ranges.Observe("final", normalised);
        return normalised.select(1, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Integer forward: uint8 images [N, H, W] → uint8 embeddings [N, Dim] (as int64) and attention [N, heads, T+1, T+1] per layer.</summary>
    public (Tensor Embedding, IReadOnlyList<Tensor> Attention) Simulate(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        Tensor x = Patches(options, images.to_type(ScalarType.Int64));
        long dim = options.Dim;
        x = IntegerSimulation.Requantize(IntegerSimulation.MatMulInteger(x, 128, stem.WeightTensor()).Plus(stem.BiasTensor(stem.Channels)), stemOut);
        Tensor accumulator = IntegerSimulation.MatMulInteger(x, 0, patch.WeightTensor()).Plus(patch.BiasTensor(dim));
        Tensor tokens = IntegerSimulation.Requantize(accumulator, patchOut);
        long batch = tokens.shape[0];
        Tensor clsToken = tensor(cls.Select(v => (long)v).ToArray(), [1, 1, dim]).expand(batch, 1, dim);
        Tensor stream = cat([clsToken, tokens], 1).Plus(tensor(position.Select(v => (long)v).ToArray(), [1, options.Tokens + 1, dim]))
            .Clamp(short.MinValue, short.MaxValue);
        var attention = new List<Tensor>(layers.Length);
        foreach (IntegerTransformerLayer layer in layers)
        {
            (stream, Tensor map) = layer.Simulate(stream);
            attention.Add(map.MoveToOuterDisposeScope());
        }

        Tensor embedding = IntegerSimulation.LayerNorm(stream, norm).select(1, 0);
        return (embedding.MoveToOuterDisposeScope(), attention);
    }

    /// <summary>The integer-only ONNX graph: input <c>image</c> uint8 [batch, H, W]; outputs <c>embedding</c> uint8 [batch, Dim] and <c>attention_i</c>.</summary>
    public ModelProto Export(string version)
    {
        var g = new OnnxGraphBuilder("epoch_encoder_int");
        int dim = options.Dim, tokens = options.Tokens + 1;
        string image = g.Input("image", TensorElementType.UInt8, [null, options.ImageHeight, options.ImageWidth], "batch");
        string patches = EmitPatches(g, image, options);
        string x = g.MatMulIntegerSignedWeights(patches, 128, InGraphPixelOrder(options, stem.Weights, stem.Channels), stem.Shape, "stem");
        x = g.Requantize(x, stemOut, stem.Bias, "stem_rq");
        x = g.MatMulInteger(x, 0, IntegerTransformerLayer.Weights(g, patch, "patch"), "patch");
        string tokenStream = g.Requantize(x, patchOut, patch.Bias, "patch_rq");
        string batchDim = g.Node("Slice", g.Node("Shape", image), g.Initializer<long>("zero", [0], 1), g.Initializer<long>("one", [1], 1));
        string clsShape = g.Node("Concat", [batchDim, g.Initializer<long>("cls_rest", [1, dim], 2)], OnnxAttribute.Int("axis", 0));
        string clsToken = g.Node("Expand", g.Initializer<int>("cls", cls, 1, 1, dim), clsShape);
        string stream = g.Node("Concat", [clsToken, tokenStream], OnnxAttribute.Int("axis", 1));
        stream = IntegerTransformerLayer.ResidualAdd(g, stream, g.Initializer<int>("position", position, 1, tokens, dim), "position");
        var attention = new List<string>();
        for (int i = 0; i < layers.Length; i++)
        {
            (stream, string map) = layers[i].Emit(g, stream, $"layer{i}", i == layers.Length - 1 ? 0 : null);
            attention.Add(map);
        }

        string normalised = g.LayerNorm(stream, norm, "final_ln");
        string embedding = g.Name(g.Node("Gather", [normalised, g.Scalar("cls_index", 0L)], OnnxAttribute.Int("axis", 1)), "embedding");
        g.Output(embedding, TensorElementType.UInt8, [null, dim], "batch");
        for (int i = 0; i < attention.Count; i++)
        {
            g.Output(g.Name(attention[i], $"attention_{i}"), TensorElementType.UInt8, [null, options.Heads, tokens, tokens], "batch");
        }

        return g.Build(version, new Dictionary<string, string>
        {
            ["embedding_scale"] = EmbeddingScale.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["embedding_zero_point"] = "128",
        });
    }

    /// <summary>
    /// Image [N, H, W] → patches [N, B·S, rows·columns], token b·S + s holding derivation b, segment s in
    /// row-major pixel order (the order of the stem convolution's flattened kernel).
    /// </summary>
    internal static Tensor Patches(ModelOptions options, Tensor images) =>
        images.reshape(images.shape[0], options.Derivations, options.PatchRows, options.Segments, options.PatchColumns)
            .permute(0, 1, 3, 2, 4)
            .reshape(images.shape[0], options.Tokens, options.PatchPixels);

    /// <summary>
    /// The patch extraction as ONNX nodes, pixels in column-major order within each patch (the
    /// stem's weight rows reordered by <see cref="GraphPixelRows"/>): image [N, B·rows, W] →
    /// [N, B, W, rows] → [N, B·S, columns·rows]. One transpose of single bytes, which ONNX Runtime
    /// does with its blocked transpose kernel; the row-major order moved 20-byte runs one at a time
    /// (measured 4.0 vs 1.5 ms for 64 images, one thread). The stem sums the same products either way.
    /// </summary>
    internal static string EmitPatches(OnnxGraphBuilder g, string image, ModelOptions options)
    {
        string bands = g.Node("Reshape", image, g.Initializer<long>("patch_bands", [0, options.Derivations, options.PatchRows, options.ImageWidth], 4));
        string columns = g.Node("Transpose", [bands], OnnxAttribute.Ints("perm", 0, 1, 3, 2));
        return g.Node("Reshape", columns, g.Initializer<long>("patch_rows", [0, options.Tokens, options.PatchPixels], 3));
    }

    /// <summary>
    /// For each pixel of a patch in the graph's column-major order (c·rows + r), its index in the
    /// row-major order of <see cref="Patches"/> and the stem's flattened kernel (r·columns + c).
    /// </summary>
    internal static int[] GraphPixelRows(ModelOptions options) =>
        [.. Enumerable.Range(0, options.PatchPixels).Select(i => ((i % options.PatchRows) * options.PatchColumns) + (i / options.PatchRows))];

    /// <summary>Rows of a row-major [pixels, channels] matrix in the graph's pixel order.</summary>
    internal static T[] InGraphPixelOrder<T>(ModelOptions options, IReadOnlyList<T> rows, int channels)
    {
        int[] order = GraphPixelRows(options);
        var reordered = new T[rows.Count];
        for (int i = 0; i < order.Length; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                reordered[(i * channels) + c] = rows[(order[i] * channels) + c];
            }
        }

        return reordered;
    }

    /// <summary>BatchNorm (eval) folded into the preceding convolution: w·γ/√(σ²+ε), (b − μ)·γ/√(σ²+ε) + β.</summary>
    internal static (Tensor Weight, Tensor Bias) FoldBatchNorm(ParameterSet p, string name)
    {
        using var scope = NewDisposeScope();
        Tensor factor = p[$"{name}.norm.weight"].div(p[$"{name}.norm.running_var"].add(Scalars.Of(BatchNormEpsilon), Scalars.One).sqrt());
        Tensor weight = p[$"{name}.conv.weight"].mul(factor.reshape(-1, 1, 1, 1));
        Tensor bias = p[$"{name}.conv.bias"].Minus(p[$"{name}.norm.running_mean"]).mul(factor).Plus(p[$"{name}.norm.bias"]);
        return (weight.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    private static int[] Residual(Tensor value, double scale) =>
        value.data<double>().ToArray().Select(v => (int)Math.Clamp(Math.Round(v / scale), short.MinValue, short.MaxValue)).ToArray();
}
