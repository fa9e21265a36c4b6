using SleepScoring.Analysis;

namespace SleepScoring.Training.Baseline;

/// <summary>
/// Model inputs of the feature baseline: for each epoch inside its night's sleep-period window,
/// the standardised 14 features of epochs e−k … e+k (by epoch index; a neighbour that is unscored
/// or outside the recording reads zeros, i.e. the training mean), flattened.
/// </summary>
public sealed class ContextSamples
{
    private ContextSamples(float[] inputs, SleepStage[] stages, int width)
    {
        Inputs = inputs;
        Stages = stages;
        Width = width;
    }

    /// <summary>Row-major [Count, Width] inputs.</summary>
    public float[] Inputs { get; }

    /// <summary>Stage of each sample.</summary>
    public SleepStage[] Stages { get; }

    /// <summary>Values per sample: (2·context + 1) × 14.</summary>
    public int Width { get; }

    /// <summary>Samples.</summary>
    public int Count => Stages.Length;

    /// <summary>Per-feature mean and standard deviation over every row of <paramref name="nights"/>.</summary>
    public static (float[] Mean, float[] Std) Standardiser(IEnumerable<FeatureNight> nights)
    {
        const int f = FeatureNight.FeatureCount;
        var sum = new double[f];
        var squares = new double[f];
        long rows = 0;
        foreach (FeatureNight night in nights)
        {
            for (int r = 0; r < night.Count; r++, rows++)
            {
                for (int j = 0; j < f; j++)
                {
                    double v = night.Features[(r * f) + j];
                    sum[j] += v;
                    squares[j] += v * v;
                }
            }
        }

        if (rows == 0)
        {
            throw new ArgumentException("No rows to standardise on.", nameof(nights));
        }

        var mean = new float[f];
        var std = new float[f];
        for (int j = 0; j < f; j++)
        {
            double m = sum[j] / rows;
            mean[j] = (float)m;
            std[j] = (float)Math.Sqrt(Math.Max(squares[j] / rows - (m * m), 1e-12));
        }

        return (mean, std);
    }

    /// <summary>Builds the samples of the sleep-period windows of <paramref name="nights"/>.</summary>
    public static ContextSamples Build(IEnumerable<FeatureNight> nights, int context, float[] mean, float[] std)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        const int f = FeatureNight.FeatureCount;
        int span = (2 * context) + 1, width = span * f;
        var inputs = new List<float>();
        var stages = new List<SleepStage>();
        foreach (FeatureNight night in nights)
        {
            if (SleepPeriod.Window(night.Epochs, night.Stages) is not (int first, int last))
            {
                continue;
            }

            int[] rowOfEpoch = new int[night.Epochs.Max() + 1];
            Array.Fill(rowOfEpoch, -1);
            for (int r = 0; r < night.Count; r++)
            {
                rowOfEpoch[night.Epochs[r]] = r;
            }

            var sample = new float[width];
            for (int r = 0; r < night.Count; r++)
            {
                int epoch = night.Epochs[r];
                if (epoch < first || epoch > last)
                {
                    continue;
                }

                for (int k = -context; k <= context; k++)
                {
                    int e = epoch + k, row = e >= 0 && e < rowOfEpoch.Length ? rowOfEpoch[e] : -1;
                    for (int j = 0; j < f; j++)
                    {
                        sample[((k + context) * f) + j] = row < 0 ? 0f : (night.Features[(row * f) + j] - mean[j]) / std[j];
                    }
                }

                inputs.AddRange(sample);
                stages.Add(night.Stages[r]);
            }
        }

        return new ContextSamples([.. inputs], [.. stages], width);
    }
}