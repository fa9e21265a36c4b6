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
    private readonly DerivationDropout? dropout;
    private readonly BandDropout? bandDropout;
    private int pass;

    /// <summary>
    /// Samples windows of <paramref name="training"/>; validates on <paramref name="validation"/>
    /// as recorded. With <paramref name="dropout"/>, a training window reads the embeddings of its
    /// night with the drawn derivation silent (<paramref name="training"/> must hold those variants);
    /// with <paramref name="bandDropout"/>, a window that keeps its derivations reads them with the
    /// fast bands silent when drawn (<see cref="EmbeddingWindows.BandVariant"/>).
    /// </summary>
    public SequenceStageSource(EmbeddingWindows training, EmbeddingWindows validation, int batchSize = 256, DerivationDropout? dropout = null, BandDropout? bandDropout = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        int bands = training.BandVariant is null ? 0 : 1;
        if (dropout is not null && training.Variants != 1 + dropout.Silent.Derivations + bands)
        {
            throw new ArgumentException($"Derivation dropout needs the training windows embedded with each derivation silent ({1 + dropout.Silent.Derivations} variants); they hold {training.Variants - bands}.", nameof(training));
        }

        if (bandDropout is not null && training.BandVariant is null)
        {
            throw new ArgumentException("Band dropout needs the training windows embedded with the fast bands silent.", nameof(training));
        }

        this.bandDropout = bandDropout;

        this.dropout = dropout;
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
        var variants = new int[dropout is null && bandDropout is null ? 0 : indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            centres[i] = trainingCentres[indices[i]];
            if (dropout is not null)
            {
                variants[i] = 1 + dropout.Dropped(pass, indices[i]);
            }

            if (variants.Length > 0 && variants[i] == 0 && bandDropout is not null && bandDropout.Dropped(pass, indices[i]))
            {
                variants[i] = training.BandVariant!.Value;
            }
        }

        return training.Gather(centres, variants);
    }

    /// <inheritdoc />
    public void BeginPass(int pass) => this.pass = pass;

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
