using SleepScoring.Analysis;
using SleepScoring.Training.Data;
using SleepScoring.Training.Metrics;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>
/// Stage 2 samples: windows of frozen epoch embeddings centred on each scored epoch, for the
/// <see cref="Models.InterEpochTransformer"/>. Training counts every position of a window;
/// validation scores the centre epoch only, as inference does.
/// </summary>
public sealed class SequenceStageSource : ITrainingSource
{
    private readonly EmbeddingWindows training;
    private readonly EmbeddingWindows validation;
    private readonly EpochRef[] trainingCentres;
    private readonly int batchSize;

    /// <summary>Samples windows of <paramref name="training"/>; validates on <paramref name="validation"/>.</summary>
    public SequenceStageSource(EmbeddingWindows training, EmbeddingWindows validation, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        this.training = training;
        this.validation = validation;
        this.batchSize = batchSize;
        trainingCentres = [.. training.Dataset.ScoredEpochs];
    }

    /// <inheritdoc />
    public int TrainingCount => trainingCentres.Length;

    /// <inheritdoc />
    public long[] TrainingStageCounts() => training.Dataset.StageCounts();

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) TrainingBatch(ReadOnlySpan<int> indices)
    {
        var centres = new EpochRef[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            centres[i] = trainingCentres[indices[i]];
        }

        return training.Gather(centres);
    }

    /// <inheritdoc />
    public ConfusionMatrix Validate(nn.Module<Tensor, Tensor> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var matrix = new ConfusionMatrix();
        EpochRef[] centres = [.. validation.Dataset.ScoredEpochs];
        int centre = validation.Window / 2;
        for (int start = 0; start < centres.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            ReadOnlySpan<EpochRef> batch = centres.AsSpan(start, Math.Min(batchSize, centres.Length - start));
            (Tensor input, _) = validation.Gather(batch);
            long[] predicted = model.forward(input).select(1, centre).argmax(1).data<long>().ToArray();
            for (int i = 0; i < batch.Length; i++)
            {
                matrix.Add(validation.CentreStage(batch[i]), (SleepStage)predicted[i]);
            }
        }

        return matrix;
    }
}
