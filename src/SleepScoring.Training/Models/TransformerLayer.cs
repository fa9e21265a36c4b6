using SleepScoring.Training.Quantization;
using SleepScoring.Training.Training;

using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Models;

/// <summary>
/// Pre-LayerNorm transformer layer: x + Attn(LN(x)), then x + MLP(LN(x)) with GELU. Built from
/// linear layers, LayerNorm, softmax attention, GELU and residual adds only — the operators
/// with I-ViT integer counterparts. Returns the attention probabilities [N, heads, T, T] too.
/// </summary>
internal sealed class TransformerLayer : nn.Module<Tensor, (Tensor Output, Tensor Attention)>
{
    private readonly LayerNorm attentionNorm;
    private readonly Linear queryKeyValue;
    private readonly Linear projection;
    private readonly LayerNorm mlpNorm;
    private readonly Linear expand;
    private readonly Linear contract;
    private readonly Dropout dropout;
    private readonly int heads;
    private readonly int width;
    // A field, not an implicit conversion: a temporary Scalar can be finalized mid-call.
    private readonly Scalar scale;

    /// <summary>A layer of the geometry <paramref name="options"/> gives (token width, heads and their width, MLP width).</summary>
    public TransformerLayer(string name, ModelOptions options)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        int dim = options.Dim;
        heads = options.Heads;
        width = options.AttentionWidth;
        scale = (1.0 / Math.Sqrt(options.HeadSize)).ToScalar();
        attentionNorm = nn.LayerNorm(dim);
        queryKeyValue = nn.Linear(dim, 3 * width);
        projection = nn.Linear(width, dim);
        mlpNorm = nn.LayerNorm(dim);
        expand = nn.Linear(dim, options.MlpDim);
        contract = nn.Linear(options.MlpDim, dim);
        dropout = nn.Dropout(options.Dropout);
        RegisterComponents();
    }

    /// <summary>
    /// Runs <paramref name="layers"/> in order inside the caller's dispose scope; each layer's
    /// attention probabilities are moved out of that scope so the caller can return them.
    /// </summary>
    public static (Tensor Output, IReadOnlyList<Tensor> Attention) RunStack(ICollection<TransformerLayer> layers, Tensor x)
    {
        var attention = new List<Tensor>(layers.Count);
        foreach (TransformerLayer layer in layers)
        {
            (x, Tensor map) = layer.forward(x);
            attention.Add(map.MoveToOuterDisposeScope());
        }

        return (x, attention);
    }

    /// <summary>
    /// Quantization-aware fine-tuning: when set, activations are rounded to the integer graph's
    /// grids at the points named <see cref="QuantizationPrefix"/> + ln1, q, k, v, ctx, ln2, fc1,
    /// gelu, and weights to their int8 grids (straight-through gradients). Null: plain float.
    /// </summary>
    public FakeQuantization? Quantization { get; private set; }

    /// <summary>This layer's parameter prefix in the model (e.g. <c>layers.2.</c>), naming its quantization points.</summary>
    public string QuantizationPrefix { get; private set; } = string.Empty;

    /// <summary>
    /// Sets <paramref name="quantization"/> on every layer of a model's stack; layer i's points are
    /// named <c>layers.i.</c>, as its parameters are (the calibration observes them under those names).
    /// </summary>
    public static void SetQuantization(IList<TransformerLayer> layers, FakeQuantization? quantization)
    {
        ArgumentNullException.ThrowIfNull(layers);
        for (int i = 0; i < layers.Count; i++)
        {
            layers[i].Quantization = quantization;
            layers[i].QuantizationPrefix = $"layers.{i}.";
        }
    }

    public override (Tensor Output, Tensor Attention) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0], tokens = input.shape[1];
        FakeQuantization? q = Quantization;
        string p = QuantizationPrefix;
        Tensor Point(string name, Tensor x) => q is null ? x : q.Activation(p + name, x);
        Tensor Apply(Linear linear, Tensor x) => q is null ? linear.forward(x) : nn.functional.linear(x, FakeQuantization.Weight(linear.weight!), linear.bias);

        Tensor[] parts = Apply(queryKeyValue, Point("ln1", attentionNorm.forward(input))).split(width, -1);
        Tensor Heads(Tensor x) => x.view(batch, tokens, heads, width / heads).transpose(1, 2);
        Tensor query = Heads(Point("q", parts[0])), key = Heads(Point("k", parts[1])), value = Heads(Point("v", parts[2]));
        Tensor probabilities = query.matmul(key.transpose(-2, -1)).mul_(scale).softmax(-1);
        if (q is not null)
        {
            probabilities = FakeQuantization.Probabilities(probabilities);
        }

        Tensor mixed = Point("ctx", probabilities.matmul(value).transpose(1, 2).reshape(batch, tokens, width));
        Tensor afterAttention = input.add(dropout.forward(Apply(projection, mixed)), TorchScalars.One);
        Tensor hidden = Point("fc1", Apply(expand, Point("ln2", mlpNorm.forward(afterAttention))));
        Tensor activated = Point("gelu", nn.functional.gelu(hidden));
        Tensor output = afterAttention.add(dropout.forward(Apply(contract, activated)), TorchScalars.One);
        return (output.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            scale.Dispose();
        }

        base.Dispose(disposing);
    }
}
