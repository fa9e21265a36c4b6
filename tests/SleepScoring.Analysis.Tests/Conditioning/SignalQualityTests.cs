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
}
