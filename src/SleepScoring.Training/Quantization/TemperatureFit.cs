namespace SleepScoring.Training.Quantization;

/// <summary>
/// Temperature scaling (Guo et al. 2017): the one T &gt; 0 that minimises the negative
/// log-likelihood of softmax(logits / T) on held-out epochs. It changes confidence, never the
/// ranking of stages; the integer model folds it into the logit requantization scale.
/// </summary>
public static class TemperatureFit
{
    private const double LowestLog = -2.0; // T ∈ [e^−2, e^2.5] ≈ [0.14, 12]
    private const double HighestLog = 2.5;

    /// <summary>The NLL-minimising temperature for <paramref name="logits"/> [N, C] and their true classes.</summary>
    public static double Fit(double[,] logits, IReadOnlyList<int> truth)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(truth);
        if (logits.GetLength(0) != truth.Count || truth.Count == 0)
        {
            throw new ArgumentException($"Need one true class per logit row, at least one ({logits.GetLength(0)} rows vs {truth.Count}).", nameof(truth));
        }

        // NLL(log T) is convex in 1/T (a log-sum-exp minus a linear term) and unimodal in log T: golden section.
        double a = LowestLog, b = HighestLog, ratio = (Math.Sqrt(5) - 1) / 2;
        double c = b - (ratio * (b - a)), d = a + (ratio * (b - a));
        double fc = NegativeLogLikelihood(logits, truth, Math.Exp(c)), fd = NegativeLogLikelihood(logits, truth, Math.Exp(d));
        for (int i = 0; i < 60; i++)
        {
            if (fc < fd)
            {
                (b, d, fd) = (d, c, fc);
                c = b - (ratio * (b - a));
                fc = NegativeLogLikelihood(logits, truth, Math.Exp(c));
            }
            else
            {
                (a, c, fc) = (c, d, fd);
                d = a + (ratio * (b - a));
                fd = NegativeLogLikelihood(logits, truth, Math.Exp(d));
            }
        }

        return Math.Exp((a + b) / 2);
    }

    /// <summary>Mean −log p(truth) of softmax(logits / <paramref name="temperature"/>).</summary>
    public static double NegativeLogLikelihood(double[,] logits, IReadOnlyList<int> truth, double temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(truth);
        int rows = logits.GetLength(0), classes = logits.GetLength(1);
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < classes; k++)
            {
                max = Math.Max(max, logits[r, k] / temperature);
            }

            double sum = 0;
            for (int k = 0; k < classes; k++)
            {
                sum += Math.Exp((logits[r, k] / temperature) - max);
            }

            total += max + Math.Log(sum) - (logits[r, truth[r]] / temperature);
        }

        return total / rows;
    }
}
