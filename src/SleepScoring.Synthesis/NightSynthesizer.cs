using SleepScoring.Analysis.Signals;

namespace SleepScoring.Synthesis;

/// <summary>
/// Synthesises a whole night of one EEG derivation from per-epoch target features: each epoch
/// by <see cref="EpochSynthesizer"/> with its own generator stream (seed, channel, epoch), so
/// epochs run in parallel yet the result depends only on the seed; neighbouring segments are
/// joined by a 0.5-s equal-power cross-fade centred on the boundary (no clicks, variance kept).
/// </summary>
public static class NightSynthesizer
{
    /// <summary>Half-length of the cross-fade in samples (0.25 s each side of the boundary).</summary>
    public const int CrossfadeHalf = 25;

    /// <summary>Returns count × <see cref="EpochSynthesizer.EpochSamples"/> samples (µV at 100 Hz) for <paramref name="targets"/>.</summary>
    public static float[] Synthesize(IReadOnlyList<EpochFeatures> targets, ulong seed, int channel, int maxParallelism = -1)
    {
        int count = targets.Count;
        const int epochLength = EpochSynthesizer.EpochSamples;
        const int fade = 2 * CrossfadeHalf;
        float[] output = new float[count * epochLength];
        double[] incoming = new double[count * fade];  // epoch e's segment over [start − H, start + H)
        double[] outgoing = new double[count * fade];  // epoch e's segment over [end − H, end + H)

        using ThreadLocal<EpochSynthesizer> synthesizers = new(() => new EpochSynthesizer());
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism }, e =>
        {
            Xoshiro256 rng = new(seed, (ulong)channel, (ulong)e);
            double[] segment = synthesizers.Value!.Synthesize(targets[e], ref rng);
            int m = EpochSynthesizer.Margin;
            for (int n = 0; n < epochLength; n++)
            {
                output[(e * epochLength) + n] = (float)segment[m + n];
            }

            Array.Copy(segment, m - CrossfadeHalf, incoming, e * fade, fade);
            Array.Copy(segment, m + epochLength - CrossfadeHalf, outgoing, e * fade, fade);
        });

        for (int e = 1; e < count; e++)
        {
            int boundary = e * epochLength;
            for (int i = 0; i < fade; i++)
            {
                double theta = (i + 0.5) / fade * Math.PI / 2;
                double mixed = (Math.Cos(theta) * outgoing[((e - 1) * fade) + i]) + (Math.Sin(theta) * incoming[(e * fade) + i]);
                output[boundary - CrossfadeHalf + i] = (float)mixed;
            }
        }

        return output;
    }
}
