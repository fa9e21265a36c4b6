using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Training;

namespace SleepScoring.Training.Compression;

/// <summary>
/// Length of the fine-tune after pruning: optimisation steps of each stage, at most one pass over
/// the training samples (a fold of the surrogate nights has ~10 400 training epochs: ~163 encoder steps, ~41 inter-epoch steps).
/// </summary>
public sealed record FineTuneOptions
{
    /// <summary>Steps of the encoder with its stage-1 head (batches of 64 training images, time augmentation as in training).</summary>
    public int EncoderSteps { get; init; } = 200;

    /// <summary>Steps of the inter-epoch model on the fine-tuned encoder's embeddings (batches of 256 windows).</summary>
    public int SequenceSteps { get; init; } = 50;

    /// <summary>Peak learning rate of both (one-cycle, 10 % warm-up): a tenth of a fresh training's would not recover the pruned units in so few steps, a full one would forget.</summary>
    public double LearningRate { get; init; } = 3e-4;
}

/// <summary>
/// The short fine-tune that follows structured pruning: one pass over a seeded sample of the
/// training epochs for the encoder (stage 1: with its linear head), then one for the inter-epoch
/// model on windows of the new embeddings. Both keep the weights after their pass (validation is measured and recorded).
/// </summary>
public static class CompressionFineTune
{
    /// <summary>Fine-tunes both models in place; returns each stage's pass record and the steps it ran.</summary>
    public static FineTuneResult Run(EpochClassifier classifier, InterEpochTransformer sequence, EpochDataset training, EpochDataset validation, FineTuneOptions options)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(options);
        const int EncoderBatch = 64, SequenceBatch = 256;
        var encoderSource = new SampledSource(new EncoderStageSource(training, validation, augmentation: new TimeAugmentation(1)), options.EncoderSteps * EncoderBatch);
        var encoderStage = new SupervisedTrainer(classifier, encoderSource, new TrainerOptions { Passes = 1, BatchSize = EncoderBatch, LearningRate = options.LearningRate, ClassWeighting = ClassWeighting.None, ProgressLabel = "fine-tune encoder" });
        encoderStage.Run();
        classifier.eval();
        using var trainWindows = new EmbeddingWindows(classifier.Encoder, training, sequence.Options.Window);
        using var validationWindows = new EmbeddingWindows(classifier.Encoder, validation, sequence.Options.Window);
        var sequenceSource = new SampledSource(new SequenceStageSource(trainWindows, validationWindows), options.SequenceSteps * SequenceBatch);
        var sequenceStage = new SupervisedTrainer(sequence, sequenceSource, new TrainerOptions { Passes = 1, BatchSize = SequenceBatch, LearningRate = options.LearningRate, ClassWeighting = ClassWeighting.None, ProgressLabel = "fine-tune sequence" });
        sequenceStage.Run();
        classifier.eval();
        sequence.eval();
        return new FineTuneResult(encoderStage.Passes, sequenceStage.Passes, encoderStage.StepLosses.Count, sequenceStage.StepLosses.Count);
    }
}

/// <summary>What a fine-tune ran: the validation record of each stage's pass and its optimisation steps.</summary>
public sealed record FineTuneResult(IReadOnlyList<PassRecord> Encoder, IReadOnlyList<PassRecord> Sequence, int EncoderSteps, int SequenceSteps);
