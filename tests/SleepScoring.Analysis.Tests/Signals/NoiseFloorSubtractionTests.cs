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
    public void Without_bins_to_reduce_the_signal_comes_back_unchanged()
    {
        float[] x = Noise(10_000, 1);
        float[] y = new NoiseFloorSubtraction(FromHz: 1000).Apply(x, 100);
        Assert.Equal(x.Length, y.Length);
        for (int n = 0; n < x.Length; n++)
        {
            Assert.Equal(x[n], y[n], 4);
        }
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
