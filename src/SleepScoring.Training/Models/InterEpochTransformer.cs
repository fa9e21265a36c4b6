using SleepScoring.Training.Quantization;
using SleepScoring.Training.Training;

using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Models;

/// <summary>
/// The inter-epoch transformer: reads a centred window [N, L, Dim] of epoch embeddings and
/// returns stage logits for every position [N, L, Classes]; the centre position
/// (<see cref="ModelOptions.Window"/> / 2) is the epoch being scored.
/// </summary>
public sealed class InterEpochTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Parameter position;
    private readonly ModuleList<TransformerLayer> layers;
    private readonly LayerNorm norm;
    private readonly Linear head;

    /// <summary>Builds the sequence model for <paramref name="options"/> (validated).</summary>
    public InterEpochTransformer(ModelOptions options)
        : base(nameof(InterEpochTransformer))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        position = new Parameter(nn.init.normal_(empty(1, options.Window, options.Dim), std: 0.02));
        layers = nn.ModuleList(Enumerable.Range(0, options.SequenceLayers)
            .Select(i => new TransformerLayer($"layer{i}", options)).ToArray());
        norm = nn.LayerNorm(options.Dim);
        head = nn.Linear(options.Dim, options.Classes);
        RegisterComponents();
    }

    /// <summary>The sizes this model was built for.</summary>
    public ModelOptions Options { get; }

    /// <summary>Quantization-aware fine-tuning of every layer's 8-bit points (see <see cref="FakeQuantization"/>); null: float.</summary>
    public FakeQuantization? Quantization
    {
        get => layers.Count == 0 ? null : layers[0].Quantization;
        set
        {
            TransformerLayer.SetQuantization(layers, value);
        }
    }

    /// <summary>Index of the scored (centre) epoch in a window.</summary>
    public int Centre => Options.Window / 2;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        (Tensor logits, IReadOnlyList<Tensor> attention) = ForwardWithAttention(input);
        foreach (Tensor map in attention)
        {
            map.Dispose();
        }

        return logits;
    }

    /// <summary>Logits [N, L, Classes] and per-layer attention probabilities [N, heads, L, L].</summary>
    public (Tensor Logits, IReadOnlyList<Tensor> Attention) ForwardWithAttention(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 3 || input.shape[1] != Options.Window || input.shape[2] != Options.Dim)
        {
            throw new ArgumentException($"Embedding windows must be [N, {Options.Window}, {Options.Dim}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        using var scope = NewDisposeScope();
        // Embedding dropout (training only): the embeddings of held-out subjects are noisier than
        // those of the subjects the encoder was trained on, which the sequence model otherwise trusts.
        Tensor x = (training && Options.EmbeddingDropout > 0 ? nn.functional.dropout(input, Options.EmbeddingDropout, training: true) : input).add(position, TorchScalars.One);
        (x, IReadOnlyList<Tensor> attention) = TransformerLayer.RunStack(layers, x);

        return (head.forward(norm.forward(x)).MoveToOuterDisposeScope(), attention);
    }
}
