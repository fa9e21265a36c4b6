namespace SleepScoring.Synthesis;

/// <summary>
/// The non-EEG channels of a Sleep-EDF PSG, built from stationary random processes that depend
/// only on the seed and the night's length — they carry no stage information at all (no feature,
/// no label, no time-of-night trend). EOG: 1/f-like background plus random saccade steps that
/// decay like an AC-coupled amplifier; respiration: a breathing-like oscillation whose rate and
/// depth wander slowly (sampled at 1 Hz as in Sleep-EDF); submental EMG: a slowly wandering RMS
/// envelope (Sleep-EDF stores EMG as a 1-Hz envelope); rectal temperature: a slow random walk
/// around 36.9 °C; event marker: constant zero.
/// </summary>
public static class AuxiliaryChannels
{
    private const ulong Stream = 1000;

    /// <summary>Generates the five auxiliary channels for <paramref name="epochCount"/> 30-s epochs.</summary>
    public static IReadOnlyList<SurrogateSignal> Generate(int epochCount, ulong seed)
    {
        int seconds = epochCount * 30;
        return
        [
            new("EOG horizontal", "Ag-AgCl electrodes", "uV", "HP:0.5Hz LP:100Hz [enhanced cassette BW]", 100, Eog(seconds * 100, seed)),
            new("Resp oro-nasal", "Oral-nasal thermistors", string.Empty, "HP:0.03Hz LP:0.9Hz", 1, Respiration(seconds, seed)),
            new("EMG submental", "Ag-AgCl electrodes", "uV", "HP:16Hz Rectification LP:0.7Hz", 1, Emg(seconds, seed)),
            new("Temp rectal", "Rectal thermistor", "DegC", string.Empty, 1, Temperature(seconds, seed)),
            new("Event marker", "Marker button", string.Empty, "Hold during 2 seconds", 1, new float[seconds]),
        ];
    }

    private static float[] Eog(int length, ulong seed)
    {
        Xoshiro256 rng = new(seed, Stream + 1);
        float[] x = new float[length];
        // Three AR(1) processes (time constants 0.02, 0.2, 2 s) sum to a 1/f-like spectrum, ~12 µV RMS.
        double[] poles = [Math.Exp(-1 / 2.0), Math.Exp(-1 / 20.0), Math.Exp(-1 / 200.0)];
        double[] scales = [6, 5, 4];
        double[] state = new double[3];
        double saccade = 0;
        double saccadeDecay = Math.Exp(-1 / 150.0); // 1.5-s decay after each step
        for (int n = 0; n < length; n++)
        {
            double sum = 0;
            for (int i = 0; i < 3; i++)
            {
                state[i] = (poles[i] * state[i]) + (Math.Sqrt(1 - (poles[i] * poles[i])) * scales[i] * rng.NextGaussian());
                sum += state[i];
            }

            if (rng.NextDouble() < 0.3 / 100) // about one saccade every 3 s
            {
                saccade += rng.NextDouble(-60, 60);
            }

            saccade *= saccadeDecay;
            x[n] = (float)(sum + saccade);
        }

        return x;
    }

    private static float[] Respiration(int seconds, ulong seed)
    {
        Xoshiro256 rng = new(seed, Stream + 2);
        float[] x = new float[seconds];
        double phase = rng.NextDouble(0, 2 * Math.PI), rate = 0.25, depth = 400;
        for (int n = 0; n < seconds; n++)
        {
            rate = Math.Clamp(rate + (0.002 * rng.NextGaussian()), 0.18, 0.32);
            depth = Math.Clamp(depth + (8 * rng.NextGaussian()), 200, 700);
            phase += 2 * Math.PI * rate;
            x[n] = (float)((depth * Math.Sin(phase)) + (20 * rng.NextGaussian()));
        }

        return x;
    }

    private static float[] Emg(int seconds, ulong seed)
    {
        Xoshiro256 rng = new(seed, Stream + 3);
        float[] x = new float[seconds];
        double level = 0; // log-amplitude, mean-reverting around log(1.5 µV)
        for (int n = 0; n < seconds; n++)
        {
            level = (0.995 * level) + (0.05 * rng.NextGaussian());
            x[n] = (float)(1.5 * Math.Exp(level) * (1 + (0.1 * rng.NextGaussian())));
        }

        return x;
    }

    private static float[] Temperature(int seconds, ulong seed)
    {
        Xoshiro256 rng = new(seed, Stream + 4);
        float[] x = new float[seconds];
        double t = 36.9;
        for (int n = 0; n < seconds; n++)
        {
            t = 36.9 + (0.9995 * (t - 36.9)) + (0.002 * rng.NextGaussian());
            x[n] = (float)t;
        }

        return x;
    }
}
