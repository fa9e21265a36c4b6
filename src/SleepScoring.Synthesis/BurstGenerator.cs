using SleepScoring.Analysis.Signals;

namespace SleepScoring.Synthesis;

/// <summary>
/// Transient EEG patterns added where an epoch's measured spectrum makes them likely — decided
/// from the features alone, never from a stage label: alpha bursts when alpha stands above its
/// neighbours, spindle-like 11.5–14.5 Hz bursts when beta stands well above gamma, and slow-wave
/// trains when delta is strong and dominates theta. Each pattern takes a share of its band's
/// power; the caller's spectral correction keeps the band means on target.
/// </summary>
internal static class BurstGenerator
{
    /// <summary>Adds the bursts for <paramref name="target"/> to <paramref name="signal"/> (µV, 100 Hz).</summary>
    public static void Add(in EpochFeatures target, Span<double> signal, double samplingRate, ref Xoshiro256 rng)
    {
        double alphaProminence = Math.Log10(target.Alpha / Math.Sqrt(target.Theta * target.Beta));
        double spindleDrive = Math.Log10(target.Beta / target.Gamma) - 0.5;
        double slowDrive = Math.Log10(target.Delta / target.Theta) - 1.0;

        if (alphaProminence > 0.1)
        {
            double share = Math.Min(0.6, alphaProminence);
            AddOscillations(signal, samplingRate, ref rng, share * target.Alpha * 5, 8.5, 11.5, 1.0, 3.0, 2, 5);
        }

        if (spindleDrive > 0)
        {
            double share = Math.Min(0.5, spindleDrive);
            AddOscillations(signal, samplingRate, ref rng, share * target.Beta * 3, 11.5, 14.5, 0.5, 1.5, 2, 6);
        }

        if (slowDrive > 0 && target.Delta > 20)
        {
            double share = Math.Min(0.5, slowDrive);
            AddSlowWaveTrains(signal, samplingRate, ref rng, share * target.Delta * 3.5);
        }
    }

    /// <summary>Gaussian-enveloped sinusoids (waxing and waning), total variance <paramref name="power"/>.</summary>
    private static void AddOscillations(
        Span<double> signal, double fs, ref Xoshiro256 rng, double power,
        double lowHz, double highHz, double minSeconds, double maxSeconds, int minCount, int maxCount)
    {
        int count = minCount + rng.NextInt(maxCount - minCount + 1);
        double[] burst = new double[signal.Length];
        for (int i = 0; i < count; i++)
        {
            double frequency = rng.NextDouble(lowHz, highHz);
            double sigma = rng.NextDouble(minSeconds, maxSeconds) * fs / 4; // ±2σ spans the duration
            double centre = rng.NextDouble(0, signal.Length);
            double phase = rng.NextDouble(0, 2 * Math.PI);
            double amplitude = rng.NextDouble(0.6, 1.4);
            int from = Math.Max(0, (int)(centre - (4 * sigma))), to = Math.Min(signal.Length, (int)(centre + (4 * sigma)));
            for (int n = from; n < to; n++)
            {
                double d = (n - centre) / sigma;
                burst[n] += amplitude * Math.Exp(-0.5 * d * d) * Math.Sin((2 * Math.PI * frequency * n / fs) + phase);
            }
        }

        AddScaled(signal, burst, power);
    }

    /// <summary>Runs of 2–6 slow waves (0.7–1.6 Hz), surface-negative first as in frontal N3-like EEG.</summary>
    private static void AddSlowWaveTrains(Span<double> signal, double fs, ref Xoshiro256 rng, double power)
    {
        double[] train = new double[signal.Length];
        int trains = 2 + rng.NextInt(3);
        for (int t = 0; t < trains; t++)
        {
            int position = rng.NextInt(signal.Length);
            int waves = 2 + rng.NextInt(5);
            for (int w = 0; w < waves && position < signal.Length; w++)
            {
                double frequency = rng.NextDouble(0.7, 1.6);
                int length = (int)(fs / frequency);
                double amplitude = rng.NextDouble(0.7, 1.3);
                for (int n = 0; n < length && position + n < signal.Length; n++)
                {
                    double s = Math.Sin(2 * Math.PI * n / length);
                    train[position + n] -= amplitude * s * (s > 0 ? 1.2 : 0.8); // deeper trough than peak
                }

                position += length;
            }
        }

        AddScaled(signal, train, power);
    }

    private static void AddScaled(Span<double> signal, double[] pattern, double power)
    {
        double energy = 0;
        foreach (double v in pattern)
        {
            energy += v * v;
        }

        if (energy <= 0 || power <= 0)
        {
            return;
        }

        double gain = Math.Sqrt(power * pattern.Length / energy);
        for (int n = 0; n < signal.Length; n++)
        {
            signal[n] += gain * pattern[n];
        }
    }
}
