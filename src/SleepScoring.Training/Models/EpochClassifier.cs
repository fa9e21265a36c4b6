using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Models;

/// <summary>
/// The epoch encoder with a linear stage head: stage logits [N, Classes] from one epoch image.
/// Used to pre-train the encoder per epoch (stage 1) and as the "encoder alone" ablation.
/// </summary>
public sealed class EpochClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Linear head;

    /// <summary>Builds a fresh encoder and head for <paramref name="options"/>.</summary>
    public EpochClassifier(ModelOptions options)
        : base(nameof(EpochClassifier))
    {
        Encoder = new EpochEncoder(options);
        head = nn.Linear(options.Dim, options.Classes);
        RegisterComponents();
    }

    /// <summary>The epoch encoder (shared with the sequence stage).</summary>
    public EpochEncoder Encoder { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor embedding = Encoder.forward(input);
        return head.forward(embedding);
    }
}
