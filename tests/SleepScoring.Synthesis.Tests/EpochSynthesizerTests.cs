using SleepScoring.Analysis.Signals;
using SleepScoring.Synthesis;

namespace SleepScoring.Synthesis.Tests;

public sealed class EpochSynthesizerTests
{
    public static TheoryData<string> Targets => ["WakeFpz", "AlphaPz", "SlowWaveFpz"];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Synthesize_ReproducesBandMeansAndVarianceWithin1Percent(string name)
    {
        EpochFeatures target = name switch
        {
            "WakeFpz" => SynthesisTestData.WakeFpz,
            "AlphaPz" => SynthesisTestData.AlphaPz,
            _ => SynthesisTestData.SlowWaveFpz,
        };
        Xoshiro256 rng = new(7, 0, 0);

        double[] segment = new EpochSynthesizer().Synthesize(target, ref rng);
        float[] epoch = [.. segment.Skip(EpochSynthesizer.Margin).Take(EpochSynthesizer.EpochSamples).Select(v => (float)v)];
        EpochFeatures measured = new FeatureExtractor().Compute(epoch);

        for (int b = 0; b < EpochFeatures.BandCount; b++)
        {
            Assert.InRange(measured.Band(b) / target.Band(b), 0.99, 1.01);
        }

        Assert.InRange(measured.Variance / target.Variance, 0.99, 1.01);
    }

    [Fact]
    public void Synthesize_ReachableMobility_IsMatchedWithin2Percent()
    {
        // Fpz-Cz row 0 of SC4001E0: its bands allow mobilities from ≈ 0.2 to ≈ 0.3 (shape of beta/gamma).
        Xoshiro256 rng = new(3, 0, 0);
        double[] segment = new EpochSynthesizer().Synthesize(SynthesisTestData.WakeFpz, ref rng);
        float[] epoch = [.. segment.Skip(EpochSynthesizer.Margin).Take(EpochSynthesizer.EpochSamples).Select(v => (float)v)];
        Assert.InRange(new FeatureExtractor().Compute(epoch).Mobility / SynthesisTestData.WakeFpz.Mobility, 0.98, 1.02);
    }

    [Theory]
    [InlineData(-1.0, 0.3)]
    [InlineData(double.NaN, 0.3)]
    [InlineData(1.0, 2.5)]
    [InlineData(1.0, 0)]
    public void Synthesize_ImpossibleFeatures_AreRejectedWithTheValue(double delta, double mobility)
    {
        EpochFeatures bad = SynthesisTestData.WakeFpz with { Delta = delta, Mobility = mobility };
        Xoshiro256 rng = new(1);
        ArgumentException e = Assert.Throws<ArgumentException>(() => new EpochSynthesizer().Synthesize(bad, ref rng));
        Assert.Contains(delta < 0 || double.IsNaN(delta) ? "delta" : "obility", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
