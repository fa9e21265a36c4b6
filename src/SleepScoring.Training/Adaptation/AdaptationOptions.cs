namespace SleepScoring.Training.Adaptation;

/// <summary>Settings of <see cref="TestTimeAdaptation"/> (TENT with SAR's safeguards).</summary>
public sealed record AdaptationOptions
{
    /// <summary>Re-estimate the stem BatchNorm's statistics on the site's epochs before anything else (optimisation-free).</summary>
    public bool BatchNormStatistics { get; init; } = true;

    /// <summary>Passes of entropy minimisation over the site's epochs (0: statistics only).</summary>
    public int Passes { get; init; } = 1;

    /// <summary>Epochs (stage 1) or windows (stage 2) per update.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam learning rate of the LayerNorm scales and shifts.</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>
    /// SAR's reliability filter: only samples whose prediction entropy is below this share of
    /// ln(classes) drive the update (SAR's E0 = 0.4 · ln C); confused samples' gradients are noise.
    /// </summary>
    public double ReliableEntropyShare { get; init; } = 0.4;

    /// <summary>SAR's sharpness-aware radius ρ: the gradient is taken where the loss is worst within this distance (0: plain TENT step).</summary>
    public double SharpnessRadius { get; init; } = 0.05;

    /// <summary>SAR's collapse guard: when the moving average of the filtered entropy falls below this, the parameters are reset to the source model's.</summary>
    public double ResetEntropy { get; init; } = 0.2;

    /// <summary>Adapt the inter-epoch model's LayerNorms too (on windows of the adapted embeddings).</summary>
    public bool Sequence { get; init; } = true;

    /// <summary>Seed of the shuffling.</summary>
    public ulong Seed { get; init; } = 1;
}
