using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;

namespace SleepScoring.Training.Data;

/// <summary>
/// Training-time variety of the recording's bandwidth, at the signal: with probability
/// <see cref="Probability"/> an hour of a training night is low-passed as another site records it —
/// half the time as an amplifier's hardware filter (causal Butterworth, order 2, edge 25–40 Hz), half
/// as a slow recorder's anti-aliasing (two such sections, −6 dB at an edge of 20–30 Hz) — before the views are drawn, so a
/// model that reads a muscle band (30–45 Hz) also learns what a night without it looks like. Unlike
/// <see cref="Training.BandDropout"/>, which silences the fast views in the image, a filtered hour
/// keeps what such a site keeps: the remainder of the band, and the same trace and beta views as the
/// filter leaves them. Both derivations of an hour are filtered alike (one amplifier). Each choice is
/// a pure function of (seed, night, hour).
/// </summary>
/// <param name="Seed">Seed of the choices.</param>
/// <param name="Probability">Chance that an hour is filtered.</param>
public sealed record BandwidthAugmentation(ulong Seed, double Probability)
{
    /// <summary>Epochs filtered alike: an hour, long enough that the inter-epoch model reads whole windows of one bandwidth.</summary>
    public const int BlockEpochs = 120;

    /// <summary>Samples run through the filter before a block, so its start is not a filter's step response.</summary>
    private const int Preroll = 300;

    /// <summary>Low-passes hours of <paramref name="signals"/> (conditioned samples, one array per derivation, empty for an absent one) in place.</summary>
    /// <param name="signals">The night's conditioned derivations.</param>
    /// <param name="night">The night's name (the draws' key).</param>
    public void Apply(float[][] signals, string night)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(night);
        int length = signals.Max(s => s.Length), block = BlockEpochs * ConditionedEpoch.Samples;
        double[] buffer = new double[Preroll + block];

        // Last hour first, so that each hour's preroll is still the recording, not the hour before it filtered.
        for (int hour = (length - 1) / block; hour >= 0; hour--)
        {
            int start = hour * block;
            if (Filter(night, hour) is not (Biquad section, int sections))
            {
                continue;
            }

            foreach (float[] signal in signals)
            {
                int from = Math.Max(0, start - Preroll), to = Math.Min(signal.Length, start + block);
                if (to <= start)
                {
                    continue;
                }

                Span<double> span = buffer.AsSpan(0, to - from);
                for (int n = 0; n < span.Length; n++)
                {
                    span[n] = signal[from + n];
                }

                for (int s = 0; s < sections; s++)
                {
                    section.Run(span);
                }

                for (int n = start; n < to; n++)
                {
                    signal[n] = (float)span[n - from];
                }
            }
        }
    }

    /// <summary>The low-pass of hour <paramref name="hour"/> of <paramref name="night"/> (one section, and how many times it runs), or null to keep the hour as recorded.</summary>
    public (Biquad Section, int Sections)? Filter(string night, int hour)
    {
        ArgumentNullException.ThrowIfNull(night);
        var random = new Training.SeededRandom(Seed ^ Training.SeededRandom.StableKey(night) ^ ((ulong)(uint)hour * 0xD1B54A32D192ED03UL));
        random.NextUInt64();
        if (random.NextDouble() >= Probability)
        {
            return null;
        }

        bool hardware = random.NextDouble() < 0.5;
        double edge = hardware ? 25 + (15 * random.NextDouble()) : 20 + (10 * random.NextDouble());
        return (Biquad.LowPass(SignalConditioner.ModelRate, edge), hardware ? 1 : 2);
    }
}
