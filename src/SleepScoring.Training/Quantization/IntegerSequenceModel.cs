using SleepScoring.Onnx;
using SleepScoring.Onnx.Integer;
using SleepScoring.Onnx.Proto;
using SleepScoring.Training.Models;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// The inter-epoch transformer in integers: a window [N, L, Dim] of uint8 epoch embeddings (zero
/// point 128) → 16-bit residual stream with position → integer transformer layers → I-LayerNorm
/// of the centre epoch → MatMulInteger head → logits at one shared scale → Shiftmax with 16 output
/// bits: stage probabilities in [0, 2^15). A temperature for calibration divides the logit scale,
/// so calibrating confidence changes one requantization multiplier and nothing floating enters.
/// </summary>
public sealed class IntegerSequenceModel
{
    /// <summary>Probabilities come out with this many bits: p ∈ [0, 2^(b−1)).</summary>
    public const int ProbabilityBits = 16;

    private readonly ModelOptions options;
    private readonly Requantization lift;
    private readonly int[] position;
    private readonly IntegerTransformerLayer[] layers;
    private readonly IntegerLayerNorm norm;
    private readonly QuantizedWeights head;
    private readonly Requantization logits;
    private readonly ShiftmaxTable softmax;

    private IntegerSequenceModel(ModelOptions options, ParameterSet p, ActivationRanges ranges, double embeddingScale, double temperature, FunctionTables tables)
    {
        this.options = options;
        double residual = ranges.Scale("residual", short.MaxValue);
        lift = new Requantization([embeddingScale / residual], RequantizedType.Int16InInt32, 128);
        position = p["position"].data<double>().ToArray().Select(v => (int)Math.Clamp(Math.Round(v / residual), short.MinValue, short.MaxValue)).ToArray();
        layers = Enumerable.Range(0, options.SequenceLayers)
            .Select(i => IntegerTransformerLayer.Create(p, $"layers.{i}.", options.Heads, options.Window, residual, ranges, tables))
            .ToArray();
        double normScale = ranges.Scale("final", 127);
        norm = new IntegerLayerNorm(p["norm.weight"].data<double>().ToArray(), p["norm.bias"].data<double>().ToArray(), normScale);
        head = QuantizedWeights.Linear(p["head.weight"], p["head.bias"], normScale);
        double logitScale = ranges.Scale("logits", 8191);
        logits = new Requantization(head.Ratios(logitScale), RequantizedType.Int16InInt32, head.AccumulatorBound(128));
        softmax = ShiftmaxTable.Create(logitScale / temperature, options.Classes, ProbabilityBits, tables);
        Tables = tables;
        Temperature = temperature;
    }

    /// <summary>What the exponential and GELU tables hold.</summary>
    public FunctionTables Tables { get; }

    /// <summary>The softmax temperature folded into the logit scale (1 = as trained).</summary>
    public double Temperature { get; }

    /// <summary>Real value of one probability step, 2^−15.</summary>
    public static double ProbabilityScale => Math.Pow(2, -(ProbabilityBits - 1));

    /// <summary>
    /// Calibrates <paramref name="model"/> (eval mode) on windows of float embeddings [N, L, Dim] — the
    /// dequantized integer encoder's embeddings — and quantizes it.
    /// </summary>
    public static IntegerSequenceModel Quantize(InterEpochTransformer model, Tensor windows, double embeddingScale, double temperature = 1, FunctionTables tables = FunctionTables.IVitShifts)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(windows);
        if (!(temperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive.");
        }

        using var p = new ParameterSet(model);
        var ranges = new ActivationRanges();
        using (no_grad())
        {
            using Tensor calibrated = CalibrationForward(model.Options, p, windows, ranges);
        }

        return new IntegerSequenceModel(model.Options, p, ranges, embeddingScale, temperature, tables);
    }

    /// <summary>Float forward from the parameters (eval mode): logits of the centre epoch [N, Classes]; records ranges.</summary>
    public static Tensor CalibrationForward(ModelOptions options, ParameterSet p, Tensor windows, ActivationRanges ranges)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(ranges);
        using var scope = NewDisposeScope();
        Tensor stream = windows.to_type(ScalarType.Float64).Plus(p["position"]);
        ranges.Observe("residual", stream);
        for (int i = 0; i < options.SequenceLayers; i++)
        {
            stream = IntegerTransformerLayer.Calibrate(p, $"layers.{i}.", options.Heads, stream, ranges);
        }

        Tensor normalised = IntegerTransformerLayer.LayerNorm(p, "norm", stream.select(1, options.Window / 2));
        ranges.Observe("final", normalised);
        Tensor output = nn.functional.linear(normalised, p["head.weight"], p["head.bias"]);
        ranges.Observe("logits", output);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Integer forward: uint8 windows [N, L, Dim] → probabilities [N, Classes] (int64 in [0, 2^15)) and attention per layer.</summary>
    public (Tensor Probabilities, IReadOnlyList<Tensor> Attention) Simulate(Tensor windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        using var scope = NewDisposeScope();
        Tensor centred = windows.to_type(ScalarType.Int64).Minus(128);
        Tensor stream = IntegerSimulation.Requantize(centred, lift).Plus(tensor(position.Select(v => (long)v).ToArray(), [1, options.Window, options.Dim]))
            .Clamp(short.MinValue, short.MaxValue);
        var attention = new List<Tensor>(layers.Length);
        foreach (IntegerTransformerLayer layer in layers)
        {
            (stream, Tensor map) = layer.Simulate(stream);
            attention.Add(map.MoveToOuterDisposeScope());
        }

        Tensor normalised = IntegerSimulation.LayerNorm(stream.select(1, options.Window / 2), norm);
        Tensor accumulator = IntegerSimulation.MatMulInteger(normalised, 128, head.WeightTensor()).Plus(head.BiasTensor(options.Classes));
        Tensor probabilities = IntegerSimulation.Shiftmax(IntegerSimulation.Requantize(accumulator, logits), softmax);
        return (probabilities.MoveToOuterDisposeScope(), attention);
    }

    /// <summary>The integer-only ONNX graph: input <c>embeddings</c> uint8 [batch, L, Dim]; outputs <c>probabilities</c> int32 [batch, Classes] and <c>attention_i</c>.</summary>
    public ModelProto Export(string version)
    {
        var g = new OnnxGraphBuilder("inter_epoch_int");
        int window = options.Window, dim = options.Dim;
        string input = g.Input("embeddings", TensorElementType.UInt8, [null, window, dim], "batch");
        string centred = g.Node("Sub", g.Node("Cast", [input], OnnxAttribute.Int("to", (long)TensorElementType.Int32)), g.Scalar("embedding_zp", 128));
        string stream = IntegerTransformerLayer.ResidualAdd(g, g.Requantize(centred, lift, name: "lift"), g.Initializer<int>("position", position, 1, window, dim), "position");
        var attention = new List<string>();
        for (int i = 0; i < layers.Length; i++)
        {
            (stream, string map) = layers[i].Emit(g, stream, $"layer{i}", i == layers.Length - 1 ? window / 2 : null);
            attention.Add(map);
        }

        // The last layer kept the centre epoch's token alone.
        string centre = g.Node("Gather", [stream, g.Scalar("centre", 0L)], OnnxAttribute.Int("axis", 1));
        string normalised = g.LayerNorm(centre, norm, "final_ln");
        string product = g.MatMulInteger(normalised, 128, IntegerTransformerLayer.Weights(g, head, "head"), "head");
        string probabilities = g.Name(g.Shiftmax(g.Requantize(product, logits, head.Bias, "logits"), softmax, "stage_softmax"), "probabilities");
        g.Output(probabilities, TensorElementType.Int32, [null, options.Classes], "batch");
        for (int i = 0; i < attention.Count; i++)
        {
            g.Output(g.Name(attention[i], $"attention_{i}"), TensorElementType.UInt8, [null, options.Heads, window, window], "batch");
        }

        return g.Build(version, new Dictionary<string, string>
        {
            ["probability_scale"] = ProbabilityScale.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["temperature"] = Temperature.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        });
    }
}
