using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Rendering.Tests.ModelImage;

public sealed class TraceViewTests
{
    [Theory]
    [InlineData("raw@100", null, null, 100f)]
    [InlineData("8-13@10", 8.0, 13.0, 10f)]
    [InlineData("13-30@12.5", 13.0, 30.0, 12.5f)]
    public void Parse_reads_band_and_scale_and_names_round_trip(string text, double? low, double? high, float microvolts)
    {
        TraceView view = TraceView.Parse(text);

        Assert.Equal(low, view.LowHz);
        Assert.Equal(high, view.HighHz);
        Assert.Equal(microvolts, view.MicrovoltsPerHalfStrip);
        Assert.Equal(text, view.Name);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("8-13")]
    [InlineData("13-8@10")]
    [InlineData("0-13@10")]
    [InlineData("8-60@10")]
    [InlineData("8-13@-1")]
    [InlineData("alpha@10")]
    public void Parse_rejects_malformed_views_naming_them(string text)
    {
        FormatException error = Assert.Throws<FormatException>(() => TraceView.Parse(text));
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }
}
