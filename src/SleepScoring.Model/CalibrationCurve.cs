namespace SleepScoring.Model;

/// <summary>One confidence bin of a reliability diagram.</summary>
public sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);

/// <summary>
/// Reliability of the stated confidence (the top stage probability) against held-out truth:
/// equal-width bins, and the expected calibration error ECE = Σ_b (n_b / N)·|accuracy_b − confidence_b|.
/// </summary>
public sealed class CalibrationCurve
{
    private CalibrationCurve(IReadOnlyList<CalibrationBin> bins, int total)
    {
        Bins = bins;
        Total = total;
    }

    public IReadOnlyList<CalibrationBin> Bins { get; }

    /// <summary>Epochs counted.</summary>
    public int Total { get; }

    /// <summary>Expected calibration error.</summary>
    public double ExpectedCalibrationError =>
        Bins.Where(b => b.Count > 0).Sum(b => (double)b.Count / Total * Math.Abs(b.Accuracy - b.MeanConfidence));

    /// <summary>Bins the (confidence, correct) pairs into <paramref name="binCount"/> equal-width bins over [0, 1].</summary>
    public static CalibrationCurve Measure(IReadOnlyList<double> confidence, IReadOnlyList<bool> correct, int binCount = 15)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        ArgumentNullException.ThrowIfNull(correct);
        if (confidence.Count != correct.Count || confidence.Count == 0)
        {
            throw new ArgumentException($"Need as many outcomes as confidences, at least one ({confidence.Count} vs {correct.Count}).", nameof(correct));
        }

        var counts = new int[binCount];
        var confidenceSums = new double[binCount];
        var hits = new int[binCount];
        for (int i = 0; i < confidence.Count; i++)
        {
            int bin = Math.Clamp((int)(confidence[i] * binCount), 0, binCount - 1);
            counts[bin]++;
            confidenceSums[bin] += confidence[i];
            hits[bin] += correct[i] ? 1 : 0;
        }

        CalibrationBin[] bins = Enumerable.Range(0, binCount).Select(b => new CalibrationBin(
            (double)b / binCount,
            (double)(b + 1) / binCount,
            counts[b],
            counts[b] > 0 ? confidenceSums[b] / counts[b] : 0,
            counts[b] > 0 ? (double)hits[b] / counts[b] : 0)).ToArray();
        return new CalibrationCurve(bins, confidence.Count);
    }

    /// <summary>
    /// The review threshold the curve supports: the lowest bin edge from which every populated bin
    /// at or above it reaches <paramref name="targetAccuracy"/>. Epochs below it go to review.
    /// </summary>
    public double ThresholdFor(double targetAccuracy)
    {
        double threshold = 1;
        for (int b = Bins.Count - 1; b >= 0; b--)
        {
            if (Bins[b].Count > 0 && Bins[b].Accuracy < targetAccuracy)
            {
                break;
            }

            threshold = Bins[b].Lower;
        }

        return threshold;
    }
}
