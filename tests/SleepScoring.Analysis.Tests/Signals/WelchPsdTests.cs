using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Signals;

public sealed class WelchPsdTests
{
    [Fact]
    public void Frequencies_FollowNumpyRfftfreq_SoTheNyquistBinIsExactlyFiftyHertz()
    {
        var welch = new WelchPsd();
        Assert.Equal(129, welch.Frequencies.Length);
        Assert.Equal(0.390625, welch.Frequencies[1]); // 100/256
        Assert.Equal(50.0, welch.Frequencies[128]);
    }

    [Fact]
    public void BandMean_UsesClosedIntervals()
    {
        // A PSD equal to the bin index: delta 0.5–4 Hz holds bins 2–10 (0.78–3.91 Hz), mean 6;
        // gamma 30–50 holds bins 77–128 (30.08–50 Hz), mean 102.5.
        var welch = new WelchPsd();
        double[] psd = [.. Enumerable.Range(0, 129).Select(k => (double)k)];
        Assert.Equal(6, welch.BandMean(psd, FrequencyBand.EegBands[0]), 12);
        Assert.Equal(102.5, welch.BandMean(psd, FrequencyBand.EegBands[4]), 12);
    }

    [Fact]
    public void Compute_ConstantOffset_IsRemovedByTheSegmentDetrend()
    {
        float[] x = ToneFit.Sine(3000, 100, 12.5, 10, offset: 500);
        double[] psd = new double[129];
        new WelchPsd().Compute(x, psd);
        Assert.True(psd[0] < 1e-9, $"DC bin {psd[0]}");
        Assert.Equal(256.0 / 3, psd[32], 3); // A²·N/(3·fs), see FeatureExtractorTests; float32 samples around 500 carry ~1e-6 relative rounding
    }

    [Fact]
    public void Compute_SignalShorterThanASegment_IsATypedError()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new WelchPsd().Compute(new float[100], new double[129]));
        Assert.Contains("256", e.Message, StringComparison.Ordinal);
    }
}
