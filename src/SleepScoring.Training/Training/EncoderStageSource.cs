using SleepScoring.Analysis;
using SleepScoring.Training.Data;
using SleepScoring.Training.Metrics;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>
/// Stage 1 samples: single scored epoch images with their stage, for pre-training the encoder
/// with a linear head (<see cref="Models.EpochClassifier"/>).
/// </summary>
public sealed class EncoderStageSource : ITrainingSource
{
    private readonly EpochDataset training;
    private readonly EpochDataset validation;
    private readonly EpochRef[] trainingEpochs;
    private readonly int batchSize;
    private readonly TimeAugmentation? augmentation;
    private readonly DerivationDropout? dropout;
    private readonly BandDropout? bandDropout;
    private int pass;

    /// <summary>
    /// Samples from <paramref name="training"/>; validates on <paramref name="validation"/>; varies
    /// training images with <paramref name="augmentation"/> and silences derivations with
    /// <paramref name="dropout"/> and fast bands with <paramref name="bandDropout"/> when given.
    /// </summary>
    public EncoderStageSource(EpochDataset training, EpochDataset validation, int batchSize = 128, TimeAugmentation? augmentation = null, DerivationDropout? dropout = null, BandDropout? bandDropout = null)
    {
        this.bandDropout = bandDropout;
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        this.augmentation = augmentation;
        this.dropout = dropout;
        this.training = training;
        this.validation = validation;
        this.batchSize = batchSize;
        trainingEpochs = [.. training.ScoredEpochs];
    }

    /// <inheritdoc />
    public int TrainingCount => trainingEpochs.Length;

    /// <inheritdoc />
    public long[] TrainingStageCounts() => training.StageCounts();

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) TrainingBatch(ReadOnlySpan<int> indices)
    {
        var epochs = new EpochRef[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            epochs[i] = trainingEpochs[indices[i]];
        }

        if (augmentation is null && dropout is null && bandDropout is null)
        {
            return (training.Images(epochs), training.Targets(epochs));
        }

        using Tensor plain = training.Images(epochs);
        byte[] pixels = plain.data<byte>().ToArray();
        int height = (int)plain.shape[1], width = (int)plain.shape[2];
        augmentation?.Apply(pixels, indices, pass, height, width);
        dropout?.Apply(pixels, indices, pass);
        bandDropout?.Apply(pixels, indices, pass);
        return (tensor(pixels, [indices.Length, height, width]), training.Targets(epochs));
    }

    /// <inheritdoc />
    public void BeginPass(int pass) => this.pass = pass;

    /// <inheritdoc />
    public ConfusionMatrix Validate(nn.Module<Tensor, Tensor> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var matrix = new ConfusionMatrix();
        EpochRef[] epochs = [.. validation.ScoredEpochs];
        for (int start = 0; start < epochs.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            ReadOnlySpan<EpochRef> batch = epochs.AsSpan(start, Math.Min(batchSize, epochs.Length - start));
            long[] predicted = model.forward(validation.Images(batch)).argmax(1).data<long>().ToArray();
            for (int i = 0; i < batch.Length; i++)
            {
                matrix.Add(validation.Stage(batch[i]), (SleepStage)predicted[i]);
            }
        }

        return matrix;
    }
}
