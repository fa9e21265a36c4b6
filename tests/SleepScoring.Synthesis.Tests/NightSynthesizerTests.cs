using SleepScoring.Analysis.Signals;
using SleepScoring.Synthesis;

namespace SleepScoring.Synthesis.Tests;

public sealed class NightSynthesizerTests
{
    [Fact]
    public void Synthesize_EpochBoundaries_HaveNoClicks()
    {
        // Two very different neighbours (wake Fpz-Cz, 1322 µV², and alpha Pz-Oz, 80 µV²) alternate.
        // A click would be a sample-to-sample step at a boundary far above the steps inside epochs.
        EpochFeatures[] targets = [.. Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? SynthesisTestData.WakeFpz : SynthesisTestData.AlphaPz)];
        float[] x = NightSynthesizer.Synthesize(targets, 3, 0);

        List<double> steps = [.. Enumerable.Range(0, x.Length - 1).Select(n => (double)Math.Abs(x[n + 1] - x[n])).Order()];
        double p999 = steps[(int)(steps.Count * 0.999)];
        for (int e = 1; e < 8; e++)
        {
            int b = e * 3000;
            double jump = Math.Abs(x[b] - x[b - 1]);
            Assert.True(jump < p999, $"step {jump:F2} µV at the boundary before epoch {e} exceeds the 99.9th percentile {p999:F2}");
        }
    }
}
