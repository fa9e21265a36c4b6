using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Signals;

public sealed class FeatureExtractorTests
{
    [Fact]
    public void Variance_IsThePopulationVariance()
    {
        // [1, 2, 3, 4]: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, / 4 = 1.25.
        Assert.Equal(1.25, FeatureExtractor.Variance([1f, 2f, 3f, 4f]), 12);
    }

    [Fact]
    public void DifferenceVariance_OfAlternatingSignal_IsHandComputed()
    {
        // diff([1,−1,1,−1]) = [−2, 2, −2]: mean −2/3, deviations −4/3, 8/3, −4/3 → (16+64+16)/9/3 = 32/9.
        Assert.Equal(32.0 / 9, FeatureExtractor.DifferenceVariance([1f, -1f, 1f, -1f]), 12);
    }

    [Fact]
    public void Compute_SineOnAWelchBin_GivesBandMeansAndMobilityFromFirstPrinciples()
    {
        // 10 cos at 12.5 Hz = bin 32 of 256 at 100 Hz. Periodic Hann: peak |X|² = (A·N/4)², Σw² = 3N/8,
        // one-sided ×2 → PSD = A²·N/(3·fs) = 100·256/300 at bin 32 and A²·N/(12·fs) at bins 31, 33.
        // Alpha (8–13 Hz) holds bins 21–33 (13 bins): mean = (85.333 + 2·21.333)/13.
        float[] x = ToneFit.Sine(3000, 100, 12.5, 10);
        EpochFeatures f = new FeatureExtractor().Compute(x);

        Assert.Equal((256.0 / 3 + (2 * 256.0 / 12)) / 13, f.Alpha, 7); // float32 samples: ~1e-9 relative
        Assert.True(f.Beta < 1e-9, $"beta {f.Beta}: bins 34–76 lie on the Hann window's spectral zeros");
        Assert.True(f.Theta < 1e-9 && f.Delta < 1e-9 && f.Gamma < 1e-9);

        // 375 whole cycles: variance A²/2 = 50; a first difference scales a tone by 2·sin(πf/fs) = 2·sin(π/8).
        Assert.Equal(50, f.Variance, 6);
        Assert.Equal(2 * Math.Sin(Math.PI / 8), f.Mobility, 3);
    }
}
