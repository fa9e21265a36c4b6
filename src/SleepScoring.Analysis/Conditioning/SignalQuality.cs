using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>Checks for signals a technician must hear about: flat (electrode off) and clipped (saturated amplifier).</summary>
public static class SignalQuality
{
    /// <summary>RMS below which an epoch of EEG counts as flat, in µV (real EEG is ≥ 5 µV RMS).</summary>
    public const double FlatRmsMicrovolts = 0.5;

    /// <summary>Share of samples at the physical limits from which a signal is reported as clipped.</summary>
    public const double ClippedShare = 0.001;

    /// <summary>True when the RMS about the mean of <paramref name="samples"/> is below <see cref="FlatRmsMicrovolts"/>.</summary>
    public static bool IsFlat(ReadOnlySpan<float> samples) =>
        samples.IsEmpty || Math.Sqrt(FeatureExtractor.Variance(samples)) < FlatRmsMicrovolts;

    /// <summary>Share of samples at (within 0.01 % of the range of) the physical minimum or maximum.</summary>
    public static double ClippedFraction(ReadOnlySpan<float> samples, double physicalMinimum, double physicalMaximum) =>
        samples.IsEmpty ? 0 : (double)ClippedCount(samples, physicalMinimum, physicalMaximum) / samples.Length;

    /// <summary>
    /// Number of samples at (within 0.01 % of the range of) the physical minimum or maximum; sums over
    /// consecutive parts of a signal give the count of the whole, so a signal can be checked while streamed.
    /// </summary>
    public static int ClippedCount(ReadOnlySpan<float> samples, double physicalMinimum, double physicalMaximum)
    {
        double tolerance = Math.Abs(physicalMaximum - physicalMinimum) * 1e-4;
        double low = Math.Min(physicalMinimum, physicalMaximum) + tolerance;
        double high = Math.Max(physicalMinimum, physicalMaximum) - tolerance;
        int clipped = 0;
        foreach (float v in samples)
        {
            if (v <= low || v >= high)
            {
                clipped++;
            }
        }

        return clipped;
    }
}
