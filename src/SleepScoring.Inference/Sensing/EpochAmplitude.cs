using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Inference.Sensing;

/// <summary>
/// A derivation's amplitude as the model sees it, label-free: per scorable epoch the median
/// absolute value (µV) of its conditioned samples (100 Hz, 0.3–35 Hz), and over a night the median
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

        float[] magnitudes = new float[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            magnitudes[i] = MathF.Abs(samples[i]);
        }

        return Median(magnitudes);
    }

    /// <summary>
    /// The median epoch amplitude of <paramref name="derivation"/> over the scorable epochs of
    /// <paramref name="study"/> in [<paramref name="first"/>, <paramref name="last"/>], or null when none holds signal.
    /// </summary>
    public static double? NightMedian(ConditionedStudy study, ConditionedDerivation derivation, int first, int last)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(derivation);
        var amplitudes = new List<float>();
        float[] epoch = new float[ConditionedEpoch.Samples];
        for (int e = Math.Max(0, first); e <= Math.Min(last, study.Epochs.Count - 1); e++)
        {
            long start = (long)e * ConditionedEpoch.Samples;
            if (!study.Epochs[e].Scorable || start + ConditionedEpoch.Samples > derivation.Samples.Length)
            {
                continue;
            }

            // One epoch at a time: a long night's samples may live in a file (SampleStore).
            derivation.Samples.Read(start, epoch);
            double amplitude = Of(epoch);
            if (amplitude > 0)
            {
                amplitudes.Add((float)amplitude);
            }
        }

        return amplitudes.Count == 0 ? null : Median([.. amplitudes]);
    }

    /// <summary>The median of <paramref name="values"/> (reordered in place).</summary>
    private static double Median(float[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + (double)values[middle]) / 2;
    }
}
