using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Signals;

public sealed class NoiseFloorSubtractionTests
{
    private static float[] Noise(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }

    [Fact]
    public void Taking_nothing_away_gives_the_signal_back_through_the_short_time_spectra()
    {
        float[] x = Noise(10_000, 1);
        float[] y = new NoiseFloorSubtraction(FromHz: 0, OverSubtraction: 0).Apply(x, 100);
        Assert.Equal(x.Length, y.Length);
        for (int n = 0; n < x.Length; n++)
        {
            Assert.Equal(x[n], y[n], 4);
        }
    }

    [Fact]
    public void The_floor_is_the_median_of_the_smoothed_power_so_a_noise_present_half_the_time_or_less_is_kept()
    {
        // A 30-Hz tone on for 40 % of the recording: the median frame holds none of it, so nothing is taken
        // from it (against the same tone on all the time, which is taken down).
        const double rate = 100;
        float[] x = new float[100_000], always = new float[100_000];
        for (int n = 0; n < x.Length; n++)
        {
            float tone = (float)(3 * Math.Sin(2 * Math.PI * 30 * n / rate));
            x[n] = n < 40_000 ? tone : 0;
            always[n] = tone;
        }

        var subtraction = new NoiseFloorSubtraction(FromHz: 15);
        static double Rms(float[] v, int from, int to) => Math.Sqrt(v[from..to].Average(s => (double)s * s));
        Assert.InRange(Rms(subtraction.Apply(x, rate), 10_000, 30_000), 0.95 * Rms(x, 10_000, 30_000), 1.05 * Rms(x, 10_000, 30_000));
        Assert.True(Rms(subtraction.Apply(always, rate), 10_000, 30_000) < 0.3 * Rms(always, 10_000, 30_000));
    }

    [Fact]
    public void A_stationary_noise_is_taken_down_and_a_burst_above_it_kept()
    {
        const double rate = 100;
        float[] x = Noise(100_000, 2);
        // A 30-Hz burst 10× the noise's size in the middle 10 s.
        for (int n = 50_000; n < 51_000; n++)
        {
            x[n] += (float)(5 * Math.Sin(2 * Math.PI * 30 * n / rate));
        }

        float[] y = new NoiseFloorSubtraction(FromHz: 0).Apply(x, rate);
        static double Rms(float[] v, int from, int to) => Math.Sqrt(v[from..to].Average(s => (double)s * s));
        double before = Rms(x, 10_000, 40_000), after = Rms(y, 10_000, 40_000);
        Assert.True(after < 0.35 * before, $"noise RMS {before:F3} → {after:F3}");
        double burst = Rms(x, 50_200, 50_800), kept = Rms(y, 50_200, 50_800);
        Assert.True(kept > 0.9 * burst, $"burst RMS {burst:F3} → {kept:F3}");
    }
}
