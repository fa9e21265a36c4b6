using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Signals;

public sealed class RealFftTests
{
    [Fact]
    public void Forward_MatchesTheDftDefinition_AndInverseRestoresTheSignal()
    {
        // Reference: the DFT sum X[k] = Σ x[n]·e^(−2πikn/N) evaluated directly.
        const int n = 32;
        double[] x = [.. Enumerable.Range(0, n).Select(i => Math.Sin(i * 0.7) + (0.3 * Math.Cos(i * 2.1)) + (i % 5))];
        double[] re = new double[(n / 2) + 1], im = new double[(n / 2) + 1];

        RealFft.ForSize(n).Forward(x, re, im);

        for (int k = 0; k <= n / 2; k++)
        {
            double sr = 0, si = 0;
            for (int i = 0; i < n; i++)
            {
                sr += x[i] * Math.Cos(-2 * Math.PI * k * i / n);
                si += x[i] * Math.Sin(-2 * Math.PI * k * i / n);
            }

            Assert.Equal(sr, re[k], 9);
            Assert.Equal(si, im[k], 9);
        }

        double[] back = new double[n];
        RealFft.ForSize(n).Inverse(re, im, back);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i], back[i], 12);
        }
    }

    [Fact]
    public void ForSize_TooSmallOrNotAPowerOfTwo_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RealFft.ForSize(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => RealFft.ForSize(48));
    }
}
