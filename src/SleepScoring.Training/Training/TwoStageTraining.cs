using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;

using TorchSharp;

namespace SleepScoring.Training.Training;

/// <summary>Settings of <see cref="TwoStageTraining.Run"/>.</summary>
public sealed record TwoStageOptions
{
    /// <summary>Geometry and sizes of both models.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>
    /// Time reversal and shift of stage-1 training images (default on; seed 1 here, the train verb
    /// seeds it with --seed); null: none. Quantization-aware fine-tuning (stage 3) runs without it:
    /// its few low-rate passes adapt the weights to the integer grids, not to new data.
    /// </summary>
    public TimeAugmentation? Augmentation { get; init; } = new(1);

    /// <summary>
    /// Derivation dropout of stage 1 (an epoch image drawn with one EEG derivation silent); null: none.
    /// Not used by stage 3.
    /// </summary>
    public DerivationDropout? Dropout { get; init; }

    /// <summary>
    /// Derivation dropout of stage 2 (a window of embeddings of the night with one EEG derivation
    /// silent), so the model scores montages with either derivation missing; null: none.
    /// </summary>
    public DerivationDropout? SequenceDropout { get; init; }

    /// <summary>Stages 1 and 2: chance that an image, or a window, loses its fast-band views (<see cref="BandDropout"/>); null: never.</summary>
    public BandDropout? BandDropout { get; init; }

    /// <summary>
    /// Stage 1: the encoder with a linear head, per epoch image. Plain cross-entropy: in
    /// cross-validation it matched square-root class weights (pooled 73.5 % vs 73.4 %) — see README.
    /// </summary>
    public TrainerOptions Encoder { get; init; } = new() { Passes = 6, BatchSize = 64, LearningRate = 1e-3, Patience = 3, ClassWeighting = ClassWeighting.None, ProgressLabel = "encoder" };

    /// <summary>Stage 2: the inter-epoch transformer on frozen embeddings.</summary>
    public TrainerOptions Sequence { get; init; } = new() { Passes = 30, BatchSize = 256, LearningRate = 1e-3, Patience = 6, ClassWeighting = ClassWeighting.None, ProgressLabel = "sequence" };

    /// <summary>
    /// Stage 3, quantization-aware fine-tuning of both models from their float weights (fake
    /// quantization with straight-through gradients, grids from a post-training calibration); no
    /// stage 3 when its passes are 0 — the default: in cross-validation two passes did not raise
    /// the integer model's agreement with the float one (README, integer runtime).
    /// </summary>
    public TrainerOptions QuantizationAware { get; init; } = new() { Passes = 0, BatchSize = 64, LearningRate = 1e-4, Patience = 2, WarmupFraction = 0, ClassWeighting = ClassWeighting.None, ProgressLabel = "qat" };

    /// <summary>Seed of torch (initialisation, dropout).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Checkpoint folder; stage folders "encoder" and "sequence" go below it. None when null.</summary>
    public string? CheckpointDirectory { get; init; }
}

/// <summary>The trained models and the per-pass records of both stages.</summary>
public sealed record TwoStageResult(EpochClassifier Classifier, InterEpochTransformer Sequence, IReadOnlyList<PassRecord> EncoderPasses, IReadOnlyList<PassRecord> SequencePasses)
{
    /// <summary>Passes of quantization-aware fine-tuning: encoder, then inter-epoch model (empty without stage 3).</summary>
    public IReadOnlyList<PassRecord> QuantizationAwarePasses { get; init; } = [];
}

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
        var stage1 = new SupervisedTrainer(classifier, new EncoderStageSource(training, validation, augmentation: options.Augmentation, dropout: options.Dropout, bandDropout: options.BandDropout), options.Encoder with { CheckpointDirectory = root is null ? null : Path.Combine(root, "encoder") });
        stage1.Run();

        using var trainWindows = new EmbeddingWindows(classifier.Encoder, training, options.Model.Window, silent: options.SequenceDropout?.Silent, band: options.BandDropout);
        using var validationWindows = new EmbeddingWindows(classifier.Encoder, validation, options.Model.Window);
        var stage2 = new SupervisedTrainer(sequence, new SequenceStageSource(trainWindows, validationWindows, dropout: options.SequenceDropout, bandDropout: options.BandDropout), options.Sequence with { CheckpointDirectory = root is null ? null : Path.Combine(root, "sequence") });
        stage2.Run();
        IReadOnlyList<PassRecord> quantizationAware = options.QuantizationAware.Passes > 0
            ? FineTuneQuantizationAware(classifier, sequence, training, validation, options, root)
            : [];
        return new TwoStageResult(classifier, sequence, stage1.Passes, stage2.Passes) { QuantizationAwarePasses = quantizationAware };
    }

    /// <summary>
    /// Stage 3: calibrates the encoder as the integer export will, fine-tunes it with its 8-bit
    /// points and weights rounded to those grids, then does the same for the inter-epoch model on
    /// the fine-tuned encoder's rounded embeddings. The models leave float (no rounding) again.
    /// </summary>
    private static IReadOnlyList<PassRecord> FineTuneQuantizationAware(EpochClassifier classifier, InterEpochTransformer sequence, EpochDataset training, EpochDataset validation, TwoStageOptions options, string? root)
    {
        TrainerOptions qat = options.QuantizationAware;
        var ranges = new ActivationRanges();
        classifier.eval();
        using (var p = new ParameterSet(classifier.Encoder))
        using (torch.no_grad())
        using (torch.Tensor images = training.Images(IntegerStagingModel.Spread(training, 1024)))
        {
            IntegerEpochEncoder.CalibrationForward(options.Model, p, images, ranges).Dispose();
        }

        classifier.Encoder.Quantization = new FakeQuantization(ranges);
        var encoderStage = new SupervisedTrainer(classifier, new EncoderStageSource(training, validation), qat with { CheckpointDirectory = root is null ? null : Path.Combine(root, "qat-encoder"), ProgressLabel = "qat encoder" });
        encoderStage.Run();

        using var trainWindows = new EmbeddingWindows(classifier.Encoder, training, options.Model.Window);
        using var validationWindows = new EmbeddingWindows(classifier.Encoder, validation, options.Model.Window);
        var sequenceRanges = new ActivationRanges();
        sequence.eval();
        using (var p = new ParameterSet(sequence))
        using (torch.no_grad())
        {
            EpochRef[] centres = IntegerStagingModel.Spread(training, 1024);
            (torch.Tensor windows, torch.Tensor targets) = trainWindows.Gather(centres);
            IntegerSequenceModel.CalibrationForward(options.Model, p, windows, sequenceRanges).Dispose();
            windows.Dispose();
            targets.Dispose();
        }

        sequence.Quantization = new FakeQuantization(sequenceRanges);
        var sequenceStage = new SupervisedTrainer(sequence, new SequenceStageSource(trainWindows, validationWindows), qat with { BatchSize = options.Sequence.BatchSize, CheckpointDirectory = root is null ? null : Path.Combine(root, "qat-sequence"), ProgressLabel = "qat sequence" });
        sequenceStage.Run();
        classifier.Encoder.Quantization = null;
        sequence.Quantization = null;
        return [.. encoderStage.Passes, .. sequenceStage.Passes];
    }

    private static void Check(EpochDataset data, ModelOptions model, string name)
    {
        if (data.Height != model.ImageHeight || data.Width != model.ImageWidth)
        {
            throw new ArgumentException($"The {name} images are {data.Height}×{data.Width}; the model expects {model.ImageHeight}×{model.ImageWidth}.", name);
        }
    }
}
