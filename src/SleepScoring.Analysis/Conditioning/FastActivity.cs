using System.Runtime.InteropServices;

using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// How much of a derivation's activity lies above a low-pass edge, label-free and model-free: per
/// epoch the RMS of the conditioned signal minus its low-passed copy over the RMS of the signal, and
/// over epochs the median. Sleep EEG falls off with frequency, so a clean night keeps little above
/// 20 Hz; broadband muscle (EMG-like) noise raises it whatever the stage. A gain on the recording
/// cancels (a ratio), so it tells noise from loudness, which the sensing objective cannot.
/// </summary>
public static class FastActivity
{
    /// <summary>
    /// The RMS of <paramref name="signal"/> − <paramref name="lowPassed"/> over the RMS of
    /// <paramref name="signal"/> (equal lengths); null for a flat signal.
    /// </summary>
    public static double? Share(ReadOnlySpan<float> signal, ReadOnlySpan<float> lowPassed)
    {
        CheckLengths(signal, lowPassed);
        double all = 0, fast = 0;
        for (int i = 0; i < signal.Length; i++)
        {
            double x = signal[i], d = x - lowPassed[i];
            all += x * x;
            fast += d * d;
        }

        return all > 0 ? Math.Sqrt(fast / all) : null;
    }

    /// <summary>
    /// The median <see cref="Share"/> over <paramref name="epochs"/> (indices of conditioned epochs) of
    /// <paramref name="signal"/> against <paramref name="lowPassed"/> (the same derivation low-passed,
    /// valid at least over those epochs); epochs beyond the signal or flat are left out; null when none is left.
    /// </summary>
    public static double? MedianShare(SampleStore<float> signal, SampleStore<float> lowPassed, IEnumerable<int> epochs) =>
        Median(OverEpochs(signal, lowPassed, epochs, (x, y) => Share(x, y)));

    /// <summary>
    /// As <see cref="MedianShare"/>, the <paramref name="quantile"/> (0–1) of the epochs' shares instead
    /// (rank ⌊q·(n−1)⌋ in ascending order). A low quantile reads the quiet epochs: over a whole recording
    /// with its waking day, where an awake subject's own muscle activity raises the median, it still
    /// tells noise that is there throughout.
    /// </summary>
    public static double? QuantileShare(SampleStore<float> signal, SampleStore<float> lowPassed, IEnumerable<int> epochs, double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        List<float> shares = OverEpochs(signal, lowPassed, epochs, (x, y) => Share(x, y));
        return shares.Count == 0 ? null : EpochAmplitude.Select(CollectionsMarshal.AsSpan(shares), (int)Math.Floor(quantile * (shares.Count - 1)));
    }

    /// <summary>
    /// The median over <paramref name="epochs"/> of the RMS of <paramref name="band"/> (a band-passed
    /// copy of a derivation) over the RMS of <paramref name="whole"/> (the derivation, or a low-passed
    /// copy): the share of the band in the derivation's activity; epochs beyond either or flat are left out.
    /// </summary>
    public static double? MedianBandShare(SampleStore<float> band, SampleStore<float> whole, IEnumerable<int> epochs) =>
        Median(OverEpochs(band, whole, epochs, (b, w) => RmsRatio(b, w)));

    /// <summary>The RMS of <paramref name="part"/> over the RMS of <paramref name="whole"/> (equal lengths); null for a flat whole.</summary>
    public static double? RmsRatio(ReadOnlySpan<float> part, ReadOnlySpan<float> whole)
    {
        CheckLengths(part, whole);
        double p = 0, w = 0;
        for (int i = 0; i < part.Length; i++)
        {
            p += (double)part[i] * part[i];
            w += (double)whole[i] * whole[i];
        }

        return w > 0 ? Math.Sqrt(p / w) : null;
    }

    private static double? Median(List<float> values) => values.Count == 0 ? null : EpochAmplitude.Median(CollectionsMarshal.AsSpan(values));

    /// <summary>
    /// The measure of each of <paramref name="epochs"/> that both stores hold and that is defined. A store filtered
    /// only over some ranges (FilteredSegments) reads zeros elsewhere, which this cannot tell: read only its ranges.
    /// </summary>
    private static List<float> OverEpochs(SampleStore<float> first, SampleStore<float> second, IEnumerable<int> epochs, Func<float[], float[], double?> measure)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(epochs);
        float[] x = new float[ConditionedEpoch.Samples], y = new float[ConditionedEpoch.Samples];
        var values = new List<float>();
        foreach (int e in epochs)
        {
            long start = (long)e * ConditionedEpoch.Samples;
            if (e < 0 || start + ConditionedEpoch.Samples > Math.Min(first.Length, second.Length))
            {
                continue;
            }

            first.Read(start, x);
            second.Read(start, y);
            if (measure(x, y) is double value)
            {
                values.Add((float)value);
            }
        }

        return values;
    }

    private static void CheckLengths(ReadOnlySpan<float> first, ReadOnlySpan<float> second)
    {
        if (first.Length != second.Length)
        {
            throw new ArgumentException($"{second.Length} samples to compare with {first.Length}.", nameof(second));
        }
    }
}
