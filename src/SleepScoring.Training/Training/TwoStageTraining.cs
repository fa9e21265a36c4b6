using SleepScoring.Training.Data;
using SleepScoring.Training.Models;

using TorchSharp;

namespace SleepScoring.Training.Training;

/// <summary>Settings of <see cref="TwoStageTraining.Run"/>.</summary>
public sealed record TwoStageOptions
{
    /// <summary>Geometry and sizes of both models.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>Stage 1: the encoder with a linear head, per epoch image.</summary>
    public TrainerOptions Encoder { get; init; } = new() { Passes = 6, BatchSize = 64, LearningRate = 1e-3, Patience = 3, ProgressLabel = "encoder" };

    /// <summary>Stage 2: the inter-epoch transformer on frozen embeddings.</summary>
    public TrainerOptions Sequence { get; init; } = new() { Passes = 30, BatchSize = 256, LearningRate = 1e-3, Patience = 6, ProgressLabel = "sequence" };

    /// <summary>Seed of torch (initialisation, dropout).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Checkpoint folder; stage folders "encoder" and "sequence" go below it. None when null.</summary>
    public string? CheckpointDirectory { get; init; }
}

/// <summary>The trained models and the per-pass records of both stages.</summary>
public sealed record TwoStageResult(EpochClassifier Classifier, InterEpochTransformer Sequence, IReadOnlyList<PassRecord> EncoderPasses, IReadOnlyList<PassRecord> SequencePasses);

/// <summary>
/// Trains the shipped pair: stage 1 pre-trains the epoch encoder with a linear head on single
/// epochs; stage 2 embeds every epoch once with the frozen encoder and trains the inter-epoch
/// transformer on centred windows. Both stages validate on the same held-out subjects and keep
/// their best pass; both resume from their checkpoints.
/// </summary>
public static class TwoStageTraining
{
    /// <summary>Runs both stages; the caller disposes the returned models.</summary>
    public static TwoStageResult Run(EpochDataset training, EpochDataset validation, TwoStageOptions options)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        Check(training, options.Model, nameof(training));
        Check(validation, options.Model, nameof(validation));
        torch.manual_seed(options.Seed);
        var classifier = new EpochClassifier(options.Model);
        var sequence = new InterEpochTransformer(options.Model);
        string? root = options.CheckpointDirectory;
        var stage1 = new SupervisedTrainer(classifier, new EncoderStageSource(training, validation), options.Encoder with { CheckpointDirectory = root is null ? null : Path.Combine(root, "encoder") });
        stage1.Run();

        using var trainWindows = new EmbeddingWindows(classifier.Encoder, training, options.Model.Window);
        using var validationWindows = new EmbeddingWindows(classifier.Encoder, validation, options.Model.Window);
        var stage2 = new SupervisedTrainer(sequence, new SequenceStageSource(trainWindows, validationWindows), options.Sequence with { CheckpointDirectory = root is null ? null : Path.Combine(root, "sequence") });
        stage2.Run();
        return new TwoStageResult(classifier, sequence, stage1.Passes, stage2.Passes);
    }

    private static void Check(EpochDataset data, ModelOptions model, string name)
    {
        if (data.Height != model.ImageHeight || data.Width != model.ImageWidth)
        {
            throw new ArgumentException($"The {name} images are {data.Height}×{data.Width}; the model expects {model.ImageHeight}×{model.ImageWidth}.", name);
        }
    }
}