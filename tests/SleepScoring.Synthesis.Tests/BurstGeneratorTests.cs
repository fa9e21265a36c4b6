using SleepScoring.Analysis.Signals;
using SleepScoring.Synthesis;

namespace SleepScoring.Synthesis.Tests;

public sealed class BurstGeneratorTests
{
    [Fact]
    public void FlatSpectrum_GetsNoBursts()
    {
        // Equal band means: no band stands out, so no pattern is added.
        double[] signal = new double[4096];
        Xoshiro256 rng = new(1);
        BurstGenerator.Add(new EpochFeatures(1, 1, 1, 1, 1, 50, 1), signal, 100, ref rng);
        Assert.All(signal, v => Assert.Equal(0, v));
    }

    [Fact]
    public void BetaFarAboveGamma_AddsSpindleBandBursts_WithTheirShareOfBetaPower()
    {
        // log10(beta/gamma) = 2 → drive 1.5 → share capped at 0.5; power 0.5 · beta · 3 Hz = 1.5 µV².
        // Alpha (0.01) is below theta and beta, delta below theta: only spindles.
        var features = new EpochFeatures(0.5, 1, 0.01, 1, 0.01, 50, 0.5);
        double[] signal = new double[4096];
        Xoshiro256 rng = new(4);
        BurstGenerator.Add(features, signal, 100, ref rng);

        Assert.Equal(1.5, signal.Average(v => v * v), 6);
        // The energy lies around 11.5–14.5 Hz (Gaussian envelopes of ≥ 0.5 s widen it by < 1 Hz).
        double[] re = new double[2049], im = new double[2049];
        RealFft.ForSize(4096).Forward(signal, re, im);
        double inBand = 0, total = 0;
        for (int k = 1; k < 2049; k++)
        {
            double p = (re[k] * re[k]) + (im[k] * im[k]);
            double f = k * 100.0 / 4096;
            total += p;
            inBand += f is >= 10.5 and <= 15.5 ? p : 0;
        }

        Assert.True(inBand / total > 0.95, $"{inBand / total:P1} of the burst energy in 10.5–15.5 Hz");
    }
}
