using System.Runtime.InteropServices;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// A derivation's amplitude as the model sees it, label-free: per scorable epoch the median
/// absolute value (µV) of its conditioned samples (100 Hz, band-passed as the model was trained), and over a night the median
/// of those. Medians, so that artefact bursts and a night's share of slow-wave sleep move it little;
/// a gain or a referential montage moves it by its factor.
/// </summary>
public static class EpochAmplitude
{
    /// <summary>The median absolute value of <paramref name="samples"/> (0 when empty).</summary>
    public static double Of(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        return MedianMagnitude(samples, new float[samples.Length]);
    }

    /// <summary>The median absolute value of <paramref name="samples"/>, with <paramref name="scratch"/> (as long) to work in.</summary>
    private static double MedianMagnitude(ReadOnlySpan<float> samples, Span<float> scratch)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            scratch[i] = MathF.Abs(samples[i]);
        }

        return Median(scratch[..samples.Length]);
    }

    /// <summary>
    /// The median epoch amplitude of <paramref name="derivation"/> over the scorable epochs of
    /// <paramref name="study"/> in [<paramref name="first"/>, <paramref name="last"/>], or null when none holds signal.
    /// </summary>
    public static double? NightMedian(ConditionedStudy study, ConditionedDerivation derivation, int first, int last)
    {
        List<float> amplitudes = EpochAmplitudes(study, derivation, first, last);
        return amplitudes.Count == 0 ? null : Median(CollectionsMarshal.AsSpan(amplitudes));
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0–1) of the epoch amplitudes of <paramref name="derivation"/>
    /// over the scorable epochs of <paramref name="study"/> in [<paramref name="first"/>, <paramref name="last"/>]
    /// (the value of rank ⌊q·(n−1)⌋ in ascending order), or null when none holds signal. A low quantile
    /// moves less than the median with a recording's share of slow-wave sleep (an excerpt can be half N3).
    /// </summary>
    public static double? NightQuantile(ConditionedStudy study, ConditionedDerivation derivation, int first, int last, double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        List<float> amplitudes = EpochAmplitudes(study, derivation, first, last);
        return amplitudes.Count == 0 ? null : Select(CollectionsMarshal.AsSpan(amplitudes), (int)Math.Floor(quantile * (amplitudes.Count - 1)));
    }

    private static List<float> EpochAmplitudes(ConditionedStudy study, ConditionedDerivation derivation, int first, int last)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(derivation);
        var amplitudes = new List<float>();
        float[] epoch = new float[ConditionedEpoch.Samples], scratch = new float[ConditionedEpoch.Samples];
        for (int e = Math.Max(0, first); e <= Math.Min(last, study.Epochs.Count - 1); e++)
        {
            long start = (long)e * ConditionedEpoch.Samples;
            if (!study.Epochs[e].Scorable || start + ConditionedEpoch.Samples > derivation.Samples.Length)
            {
                continue;
            }

            // One epoch at a time: a long night's samples may live in a file (SampleStore).
            derivation.Samples.Read(start, epoch);
            double amplitude = MedianMagnitude(epoch, scratch);
            if (amplitude > 0)
            {
                amplitudes.Add((float)amplitude);
            }
        }

        return amplitudes;
    }

    /// <summary>
    /// The median of <paramref name="values"/> (reordered in place): the middle value, or the mean of
    /// the two middle ones, as after a sort, found by selection (a sort per epoch was most of the
    /// amplitude estimate's time, itself a quarter of the search's).
    /// </summary>
    internal static double Median(Span<float> values)
    {
        int middle = values.Length / 2;
        float upper = Select(values, middle);
        if (values.Length % 2 == 1)
        {
            return upper;
        }

        // After the selection every value left of the middle is ≤ it: the lower middle is their largest.
        float lower = values[0];
        for (int i = 1; i < middle; i++)
        {
            lower = MathF.Max(lower, values[i]);
        }

        return (lower + (double)upper) / 2;
    }

    /// <summary>
    /// Reorders <paramref name="values"/> so that the <paramref name="k"/>-th smallest is at k, none
    /// larger before it and none smaller after it (Hoare's selection, median-of-three pivot), and returns it.
    /// </summary>
    internal static float Select(Span<float> values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            int mid = left + ((right - left) / 2);
            if (values[mid] < values[left])
            {
                (values[mid], values[left]) = (values[left], values[mid]);
            }

            if (values[right] < values[left])
            {
                (values[right], values[left]) = (values[left], values[right]);
            }

            if (values[right] < values[mid])
            {
                (values[right], values[mid]) = (values[mid], values[right]);
            }

            float pivot = values[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (pivot < values[j])
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }
}
