using SleepScoring.Onnx.Integer;

namespace SleepScoring.Onnx.Tests.Integer;

public sealed class GaussianErrorTests
{
    // erf values from Abramowitz & Stegun, Table 7.1 (10 decimals).
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.1124629160)]
    [InlineData(0.4, 0.4283923550)]
    [InlineData(0.5, 0.5204998778)]
    [InlineData(1.0, 0.8427007929)]
    [InlineData(1.5, 0.9661051465)]
    [InlineData(2.0, 0.9953222650)]
    [InlineData(3.0, 0.9999779095)]
    public void Erf_matches_the_table(double x, double expected)
    {
        Assert.Equal(expected, GaussianError.Erf(x), 9);
        Assert.Equal(-expected, GaussianError.Erf(-x), 9);
    }

    [Fact]
    public void Erf_is_one_far_out() => Assert.Equal(1.0, GaussianError.Erf(6), 12);

    // Φ(1) = 0.8413447461 (standard normal table), so GELU(1) = Φ(1) and GELU(−1) = −(1 − Φ(1)).
    [Fact]
    public void Gelu_is_x_times_the_normal_cdf()
    {
        Assert.Equal(0.8413447461, GaussianError.Gelu(1), 9);
        Assert.Equal(-0.1586552539, GaussianError.Gelu(-1), 9);
    }
}
