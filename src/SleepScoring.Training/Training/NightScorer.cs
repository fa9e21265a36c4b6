using SleepScoring.Analysis;
using SleepScoring.Training.Data;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Models;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>
/// Scores whole nights as inference will: every epoch is embedded, the window slides over the
/// night (edges padded with zero embeddings) and the centre position's softmax is the epoch's
/// stage probabilities.
/// </summary>
public static class NightScorer
{
    /// <summary>Stage probabilities [Count, 5] (W, N1, N2, N3, R) for every epoch of <paramref name="night"/>.</summary>
    public static float[,] Probabilities(EpochEncoder encoder, InterEpochTransformer sequence, NightImages night, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(night);
        sequence.eval();
        var dataset = new EpochDataset([night]);
        using var windows = new EmbeddingWindows(encoder, dataset, sequence.Options.Window, batchSize);
        var result = new float[night.Count, sequence.Options.Classes];
        using var noGrad = no_grad();
        for (int start = 0; start < night.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            EpochRef[] centres = Enumerable.Range(start, Math.Min(batchSize, night.Count - start)).Select(p => new EpochRef(0, p)).ToArray();
            (Tensor input, _) = windows.Gather(centres);
            float[] probabilities = sequence.forward(input).select(1, sequence.Centre).softmax(1).data<float>().ToArray();
            CopyRows(probabilities, result, start);
        }

        return result;
    }

    /// <summary>
    /// The "encoder alone" ablation: stage probabilities [Count, 5] of each epoch from its own image
    /// only (the encoder with its stage-1 linear head, no neighbours).
    /// </summary>
    public static float[,] EncoderAloneProbabilities(EpochClassifier classifier, NightImages night, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(night);
        classifier.eval();
        var dataset = new EpochDataset([night]);
        int classes = classifier.Encoder.Options.Classes;
        var result = new float[night.Count, classes];
        using var noGrad = no_grad();
        for (int start = 0; start < night.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            EpochRef[] batch = Enumerable.Range(start, Math.Min(batchSize, night.Count - start)).Select(p => new EpochRef(0, p)).ToArray();
            float[] probabilities = classifier.forward(dataset.Images(batch)).softmax(1).data<float>().ToArray();
            CopyRows(probabilities, result, start);
        }

        return result;
    }

    /// <summary>
    /// Confusion of the most probable stage against the scored stage over the nights of
    /// <paramref name="dataset"/>; with <paramref name="sleepPeriodOnly"/>, only epochs in the
    /// sleep period ± 30 min of wake count. Unscored epochs never count.
    /// </summary>
    public static ConfusionMatrix Evaluate(EpochEncoder encoder, InterEpochTransformer sequence, EpochDataset dataset, bool sleepPeriodOnly = true) =>
        Evaluate(night => Probabilities(encoder, sequence, night), dataset, sleepPeriodOnly);

    /// <summary>As above, for any model that gives stage probabilities [Count, 5] per night (e.g. the integer simulation).</summary>
    public static ConfusionMatrix Evaluate(Func<NightImages, float[,]> model, EpochDataset dataset, bool sleepPeriodOnly = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        var matrix = new ConfusionMatrix();
        foreach (NightImages night in dataset.Nights)
        {
            float[,] probabilities = model(night);
            foreach (int p in CountedPositions(night, sleepPeriodOnly))
            {
                matrix.Add(night.Stages[p], (SleepStage)MostProbable(probabilities, p));
            }
        }

        return matrix;
    }

    /// <summary>Row-major batch probabilities [n × classes] into rows start … start + n − 1 of <paramref name="result"/>.</summary>
    private static void CopyRows(float[] probabilities, float[,] result, int start)
    {
        int classes = result.GetLength(1);
        for (int i = 0; i < probabilities.Length / classes; i++)
        {
            for (int c = 0; c < classes; c++)
            {
                result[start + i, c] = probabilities[(i * classes) + c];
            }
        }
    }

    /// <summary>
    /// Positions of <paramref name="night"/> that metrics count: scored epochs, and with
    /// <paramref name="sleepPeriodOnly"/> only those in the sleep period ± 30 min of wake.
    /// </summary>
    public static IEnumerable<int> CountedPositions(NightImages night, bool sleepPeriodOnly)
    {
        ArgumentNullException.ThrowIfNull(night);
        (int First, int Last)? window = sleepPeriodOnly ? Baseline.SleepPeriod.Window(night.EpochIndices, night.Stages) : (int.MinValue, int.MaxValue);
        if (window is not (int first, int last))
        {
            yield break;
        }

        for (int p = 0; p < night.Count; p++)
        {
            int epoch = night.EpochIndices[p];
            if (EpochDataset.IsScored(night.Stages[p]) && epoch >= first && epoch <= last)
            {
                yield return p;
            }
        }
    }

    /// <summary>The class with the highest probability in row <paramref name="row"/> (the first on ties).</summary>
    public static int MostProbable(float[,] probabilities, int row)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        int best = 0;
        for (int c = 1; c < probabilities.GetLength(1); c++)
        {
            best = probabilities[row, c] > probabilities[row, best] ? c : best;
        }

        return best;
    }
}
