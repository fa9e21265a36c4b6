using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Analysis.Tests.Conditioning;

public sealed class SignalQualityTests
{
    [Fact]
    public void IsFlat_OffsetWithTinyNoise_IsFlat_AndEegIsNot()
    {
        Assert.True(SignalQuality.IsFlat([100f, 100.2f, 99.8f, 100f]));   // RMS 0.14 µV about 100
        Assert.False(SignalQuality.IsFlat([10f, -10f, 10f, -10f]));        // RMS 10 µV
    }

    [Fact]
    public void ClippedFraction_CountsSamplesAtEitherLimit() =>
        Assert.Equal(0.5, SignalQuality.ClippedFraction([-200f, 0f, 200f, 5f], -200, 200));

    [Fact]
    public void ClippedCount_OfParts_AddsUpToTheWhole()
    {
        // Range −200…200: the tolerance is 0.04 µV, so −199.97 and 199.97 count, 199.9 does not.
        float[] samples = [-200f, 0f, 200f, 5f, -199.97f, 199.9f, 199.97f];
        Assert.Equal(4, SignalQuality.ClippedCount(samples, -200, 200));
        Assert.Equal(2 + 2, SignalQuality.ClippedCount(samples.AsSpan(0, 3), -200, 200) + SignalQuality.ClippedCount(samples.AsSpan(3), -200, 200));
    }
}
