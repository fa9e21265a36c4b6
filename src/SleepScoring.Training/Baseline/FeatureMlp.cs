using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Baseline;

/// <summary>A one-hidden-layer MLP (Linear → GELU → Dropout → Linear) from features to stage logits.</summary>
public sealed class FeatureMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Dropout dropout;
    private readonly Linear output;

    /// <summary>An MLP of <paramref name="inputs"/> → <paramref name="hiddenUnits"/> → 5 logits.</summary>
    public FeatureMlp(int inputs, int hiddenUnits, double dropoutRate)
        : base(nameof(FeatureMlp))
    {
        hidden = nn.Linear(inputs, hiddenUnits);
        dropout = nn.Dropout(dropoutRate);
        output = nn.Linear(hiddenUnits, 5);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor linear = hidden.forward(input);
        using Tensor h = nn.functional.gelu(linear);
        using Tensor d = dropout.forward(h);
        return output.forward(d);
    }
}