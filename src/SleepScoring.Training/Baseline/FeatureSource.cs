using SleepScoring.Analysis;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Training;

using static TorchSharp.torch;

namespace SleepScoring.Training.Baseline;

/// <summary>Context feature vectors as an <see cref="ITrainingSource"/>, and scoring of any sample set.</summary>
internal sealed class FeatureSource(ContextSamples training, ContextSamples validation) : ITrainingSource
{
    public int TrainingCount => training.Count;

    public long[] TrainingStageCounts()
    {
        var counts = new long[5];
        foreach (SleepStage stage in training.Stages)
        {
            counts[(int)stage]++;
        }

        return counts;
    }

    public (Tensor Input, Tensor Target) TrainingBatch(ReadOnlySpan<int> indices)
    {
        var inputs = new float[indices.Length * training.Width];
        var targets = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            training.Inputs.AsSpan(indices[i] * training.Width, training.Width).CopyTo(inputs.AsSpan(i * training.Width));
            targets[i] = (long)training.Stages[indices[i]];
        }

        return (tensor(inputs, [indices.Length, training.Width]), tensor(targets));
    }

    public ConfusionMatrix Validate(nn.Module<Tensor, Tensor> model) => Score(model, validation);

    /// <summary>Confusion of <paramref name="model"/>'s predictions on <paramref name="samples"/>.</summary>
    public static ConfusionMatrix Score(nn.Module<Tensor, Tensor> model, ContextSamples samples)
    {
        var matrix = new ConfusionMatrix();
        if (samples.Count == 0)
        {
            return matrix;
        }

        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using Tensor inputs = tensor(samples.Inputs, [samples.Count, samples.Width]);
        using Tensor logits = model.forward(inputs);
        using Tensor predicted = logits.argmax(1);
        long[] values = predicted.data<long>().ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            matrix.Add(samples.Stages[i], (SleepStage)values[i]);
        }

        return matrix;
    }
}