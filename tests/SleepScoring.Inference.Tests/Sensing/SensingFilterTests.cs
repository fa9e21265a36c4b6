using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Sensing;

public sealed class SensingFilterTests
{
    [Theory]
    [InlineData("none", "0.3–35 Hz", null, null)]
    [InlineData("lp:25", "0.3–25 Hz", null, 25.0)]
    [InlineData("hp:0.5", "0.5–35 Hz", 0.5, null)]
    [InlineData("0.5-25", "0.5–25 Hz", 0.5, 25.0)]
    public void Parses_the_card_names(string text, string name, double? high, double? low)
    {
        SensingFilter filter = SensingFilter.Parse(text);

        Assert.Equal((name, high, low), (filter.Name, filter.HighPassHz, filter.LowPassHz));
    }

    [Theory]
    [InlineData("lp:60")]
    [InlineData("25-5")]
    [InlineData("notch")]
    public void Refuses_what_it_cannot_build(string text) =>
        Assert.Throws<FormatException>(() => SensingFilter.Parse(text));

    [Fact]
    public void A_low_pass_attenuates_above_its_edge_and_keeps_below()
    {
        float[] fast = [.. Enumerable.Range(0, 6000).Select(i => (float)(10 * Math.Sin(2 * Math.PI * 32 * i / 100.0)))];
        float[] slow = [.. Enumerable.Range(0, 6000).Select(i => (float)(10 * Math.Sin(2 * Math.PI * 5 * i / 100.0)))];

        SensingFilter.Parse("lp:20").Create(100).Apply(fast);
        SensingFilter.Parse("lp:20").Create(100).Apply(slow);

        // Order-2 Butterworth run forward and backward: gain |H|² = 1/(1 + (w32/w20)^4), w = tan(π f/100):
        // (1.5757/0.7265)^4 = 22.1, gain 0.043 → 0.43 µV; at 5 Hz (0.158/0.7265)^4 = 0.0022, gain 0.998.
        Assert.InRange(fast[2000..4000].Max(), 0.38, 0.48);
        Assert.InRange(slow[2000..4000].Max(), 9.8, 10.1);
    }
}
