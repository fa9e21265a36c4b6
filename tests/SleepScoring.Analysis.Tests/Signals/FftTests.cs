using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Signals;

public sealed class FftTests
{
    [Fact]
    public void Forward_CosineOnBin_PutsHalfTheLengthTimesAmplitudeInBothMirrorBins()
    {
        // x[n] = 3 cos(2π·5n/64): X[5] = X[59] = 3·64/2 = 96 (definition of the DFT), all else 0.
        const int n = 64;
        double[] re = new double[n], im = new double[n];
        for (int i = 0; i < n; i++)
        {
            re[i] = 3 * Math.Cos(2 * Math.PI * 5 * i / n);
        }

        Fft.ForSize(n).Forward(re, im);

        for (int k = 0; k < n; k++)
        {
            double expected = k is 5 or 59 ? 96 : 0;
            Assert.Equal(expected, re[k], 9);
            Assert.Equal(0, im[k], 9);
        }
    }

    [Fact]
    public void Forward_Impulse_IsFlat_And_InverseRestoresTheInput()
    {
        double[] re = new double[16], im = new double[16];
        re[3] = 1;
        Fft.ForSize(16).Forward(re, im);
        for (int k = 0; k < 16; k++)
        {
            // δ[n−3] → e^(−2πi·3k/16): magnitude 1 everywhere.
            Assert.Equal(1, Math.Sqrt((re[k] * re[k]) + (im[k] * im[k])), 12);
        }

        Fft.ForSize(16).Inverse(re, im);
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(i == 3 ? 1 : 0, re[i], 12);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    public void ForSize_NotAPowerOfTwo_IsRejected(int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Fft.ForSize(size));
}
