namespace SleepScoring.Inference.Sensing;

/// <summary>
/// The label-free test of a sensing candidate, from the model's own stage probabilities on the
/// sample epochs: the mean entropy of the probabilities (nats; low when the model recognises what
/// it sees) plus <see cref="PriorWeight"/> × the Kullback–Leibler divergence of the sample's mean
/// probabilities from <see cref="Prior"/>, the stage shares of real nights' sleep periods. The prior
/// term guards against degenerate answers: a gain that turns every epoch into confident N3 (or W)
/// lowers the entropy but moves the night far from any real night's proportions. Lower is better.
/// With a <see cref="PriorTolerance"/>, only the divergence beyond it counts (a hinge): real nights
/// differ from the mean shares too, and a guard should not pull a healthy night toward the average.
/// </summary>
/// <param name="Prior">Stage shares W, N1, N2, N3, R that a sleep period holds (sum 1).</param>
/// <param name="PriorWeight">Weight of the divergence against the entropy.</param>
/// <param name="PriorTolerance">Divergence (nats) that costs nothing.</param>
public sealed record SensingObjective(IReadOnlyList<double> Prior, double PriorWeight, double PriorTolerance = 0)
{
    /// <summary>Floor under mean probabilities before the logarithm, so an absent stage costs a bounded amount.</summary>
    private const double Floor = 1e-3;

    /// <summary>Scores stage probabilities [epochs × classes] (row-major).</summary>
    public SensingScore Score(ReadOnlySpan<float> probabilities, int classes)
    {
        if (classes != Prior.Count || probabilities.Length % classes != 0 || probabilities.IsEmpty)
        {
            throw new ArgumentException($"Probabilities of {Prior.Count} classes are needed, one row per epoch; got {probabilities.Length} values for {classes} classes.", nameof(probabilities));
        }

        int epochs = probabilities.Length / classes;
        double entropy = 0;
        var mean = new double[classes];
        for (int e = 0; e < epochs; e++)
        {
            ReadOnlySpan<float> row = probabilities.Slice(e * classes, classes);
            for (int c = 0; c < classes; c++)
            {
                double p = row[c];
                entropy -= p > 0 ? p * Math.Log(p) : 0;
                mean[c] += p / epochs;
            }
        }

        double divergence = 0;
        for (int c = 0; c < classes; c++)
        {
            double p = Math.Max(mean[c], Floor);
            divergence += p * Math.Log(p / Math.Max(Prior[c], Floor));
        }

        entropy /= epochs;
        return new SensingScore(entropy, divergence, entropy + (PriorWeight * Math.Max(0, divergence - PriorTolerance)), mean);
    }
}

/// <summary>The objective's parts for one candidate.</summary>
/// <param name="Entropy">Mean entropy of the sample's stage probabilities (nats).</param>
/// <param name="PriorDivergence">KL divergence of the sample's mean stage probabilities from the prior (nats).</param>
/// <param name="Value">The objective: entropy + weight × (divergence beyond the tolerance) (lower is better).</param>
/// <param name="StageShares">The sample's mean probability of each stage.</param>
public sealed record SensingScore(double Entropy, double PriorDivergence, double Value, IReadOnlyList<double> StageShares);
