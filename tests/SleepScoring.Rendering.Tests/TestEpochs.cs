namespace SleepScoring.Rendering.Tests;

/// <summary>Hand-made epochs: derivation-major sample blocks of 3000 samples per derivation.</summary>
internal static class TestEpochs
{
    public const int SamplesPerEpoch = 3000;

    /// <summary>Each derivation constant at its own value.</summary>
    public static float[] Constant(params float[] microvoltsPerDerivation)
    {
        float[] epoch = new float[microvoltsPerDerivation.Length * SamplesPerEpoch];
        for (int d = 0; d < microvoltsPerDerivation.Length; d++)
        {
            epoch.AsSpan(d * SamplesPerEpoch, SamplesPerEpoch).Fill(microvoltsPerDerivation[d]);
        }

        return epoch;
    }

    /// <summary>EEG-like: 1 Hz slow wave, 10 Hz alpha, 13 Hz spindle-band and seeded noise (100 Hz).</summary>
    public static float[] EegLike(int derivations, int seed)
    {
        var random = new Random(seed);
        float[] epoch = new float[derivations * SamplesPerEpoch];
        for (int d = 0; d < derivations; d++)
        {
            for (int i = 0; i < SamplesPerEpoch; i++)
            {
                double t = i / 100.0;
                epoch[(d * SamplesPerEpoch) + i] = (float)((60 * Math.Sin(2 * Math.PI * 1.0 * t))
                    + (20 * Math.Sin((2 * Math.PI * 10.0 * t) + d))
                    + (8 * Math.Sin(2 * Math.PI * 13.0 * t))
                    + (15 * (random.NextDouble() - 0.5)));
            }
        }

        return epoch;
    }
}
