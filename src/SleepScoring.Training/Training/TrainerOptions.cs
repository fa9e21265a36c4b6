namespace SleepScoring.Training.Training;

/// <summary>Hyper-parameters of one <see cref="SupervisedTrainer"/> run.</summary>
public sealed record TrainerOptions
{
    /// <summary>Maximum passes over the training samples.</summary>
    public int Passes { get; init; } = 20;

    /// <summary>Samples per optimisation step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate of the one-cycle schedule.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.05;

    /// <summary>Fraction of steps spent warming up.</summary>
    public double WarmupFraction { get; init; } = 0.1;

    /// <summary>Validation passes without macro-F1 improvement before stopping.</summary>
    public int Patience { get; init; } = 4;

    /// <summary>How the loss weighs the stages (N1 is rare).</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.SquareRootBalanced;

    /// <summary>Seed of the shuffling generator.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Folder for checkpoints (one per pass, overwritten); none when null.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Label of the progress bar; no bar when null.</summary>
    public string? ProgressLabel { get; init; } = "train";

    /// <summary>Where the progress bar goes (stderr when null).</summary>
    public TextWriter? ProgressWriter { get; init; }
}
