using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Analysis.Tests.Conditioning;

public sealed class LightsPeriodTests
{
    [Fact]
    public void FromAnnotations_FindsBothSwitchesWhateverTheSpelling()
    {
        LightsPeriod? lights = LightsPeriod.FromAnnotations([(12, "Sleep stage W"), (600, "LIGHTS_OUT"), (30000, "Lights on"), (30010, "lights-on")], 36000);
        Assert.Equal(new LightsPeriod(600, 30000), lights);
    }

    [Fact]
    public void FromAnnotations_OnlyLightsOff_RunsToTheEnd() =>
        Assert.Equal(new LightsPeriod(90, 3600), LightsPeriod.FromAnnotations([(90, "Lights off")], 3600));

    [Fact]
    public void FromAnnotations_NoSwitch_IsNull() =>
        Assert.Null(LightsPeriod.FromAnnotations([(0, "Sleep stage W"), (5, "Lightsaber")], 100));

    [Theory]
    [InlineData(100, 50)]
    [InlineData(-1, 50)]
    [InlineData(10, 10)]
    public void Create_OffNotBeforeOn_IsRejectedWithBothValues(double off, double on)
    {
        ScoringInputException e = Assert.Throws<ScoringInputException>(() => LightsPeriod.Create(off, on));
        Assert.Contains($"({off} s)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"({on} s)", e.Message, StringComparison.Ordinal);
    }
}
