namespace SleepScoring.Lab.Bench;

/// <summary>
/// EEG-like epochs for benchmarks: per derivation a sum of a slow wave (0.5–2 Hz), theta, alpha and
/// a spindle-band sine with seeded random amplitudes and phases, plus uniform noise. Only the
/// drawing cost depends on it, so it needs to look like EEG, not to be EEG.
/// </summary>
internal static class SyntheticEeg
{
    /// <summary><paramref name="epochCount"/> epochs, each derivation-major (derivations × samples).</summary>
    /// <summary>Epochs (derivation after derivation, as <see cref="CreateEpochs"/> makes them) laid end to end as night-long derivations.</summary>
    public static float[][] AsNight(float[][] epochs, int derivations, int samplesPerEpoch) =>
        [.. Enumerable.Range(0, derivations).Select(d => epochs.SelectMany(e => e.Skip(d * samplesPerEpoch).Take(samplesPerEpoch)).ToArray())];

    public static float[][] CreateEpochs(int epochCount, int derivations, int samplesPerEpoch, double sampleRate, int seed)
    {
        var random = new Random(seed);
        (double Low, double High, double MaxMicrovolts)[] rhythms = [(0.5, 2, 80), (4, 8, 25), (8, 12, 30), (11, 16, 15)];
        float[][] epochs = new float[epochCount][];
        for (int e = 0; e < epochCount; e++)
        {
            float[] epoch = new float[derivations * samplesPerEpoch];
            for (int d = 0; d < derivations; d++)
            {
                Span<float> trace = epoch.AsSpan(d * samplesPerEpoch, samplesPerEpoch);
                foreach ((double low, double high, double maxMicrovolts) in rhythms)
                {
                    double frequency = low + (random.NextDouble() * (high - low));
                    double amplitude = random.NextDouble() * maxMicrovolts;
                    double phase = random.NextDouble() * 2 * Math.PI;
                    for (int i = 0; i < trace.Length; i++)
                    {
                        trace[i] += (float)(amplitude * Math.Sin((2 * Math.PI * frequency * i / sampleRate) + phase));
                    }
                }

                for (int i = 0; i < trace.Length; i++)
                {
                    trace[i] += (float)((random.NextDouble() - 0.5) * 20.0);
                }
            }

            epochs[e] = epoch;
        }

        return epochs;
    }
}
