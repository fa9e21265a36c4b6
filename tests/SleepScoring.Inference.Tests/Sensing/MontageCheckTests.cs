using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Sensing;

public sealed class MontageCheckTests
{
    [Fact]
    public void The_index_adds_the_log_ratios_of_slow_frontal_over_posterior_and_alpha_posterior_over_frontal()
    {
        // ln(0.6 / 0.4) + ln(0.2 / 0.1) = ln 1.5 + ln 2 = ln 3.
        var check = new MontageCheck(0.6, 0.4, 0.1, 0.2);

        Assert.Equal(Math.Log(3), check.Index, 12);
        Assert.True(check.Agrees);
    }

    [Fact]
    public void Leads_exchanged_read_the_negative_index_and_do_not_agree()
    {
        var labelled = new MontageCheck(0.67, 0.51, 0.097, 0.194);
        var exchanged = new MontageCheck(0.51, 0.67, 0.194, 0.097);

        Assert.Equal(-labelled.Index, exchanged.Index, 12);
        Assert.True(labelled.Agrees);
        Assert.False(labelled.Contradicts);
        Assert.False(exchanged.Agrees);
        Assert.True(exchanged.Contradicts);
    }

    [Theory]
    [InlineData(1.0, false, false)] // equal spectra tell nothing
    [InlineData(1.2, false, false)] // ln 1.2 = 0.18: within ±0.2, inconclusive
    [InlineData(1.25, true, false)] // ln 1.25 = 0.22
    [InlineData(0.8, false, true)]
    public void Only_an_index_beyond_the_clear_level_decides(double alphaRatio, bool agrees, bool contradicts)
    {
        var check = new MontageCheck(0.5, 0.5, 0.1, 0.1 * alphaRatio);

        Assert.Equal(0.2, MontageCheck.Clear);
        Assert.Equal((agrees, contradicts), (check.Agrees, check.Contradicts));
    }

    [Fact]
    public void A_missing_or_flat_share_gives_no_check()
    {
        Assert.Null(MontageCheck.Of(null, 0.5, 0.1, 0.2));
        Assert.Null(MontageCheck.Of(0.6, 0.5, 0, 0.2));
        Assert.NotNull(MontageCheck.Of(0.6, 0.5, 0.1, 0.2));
    }

    [Fact]
    public void The_description_names_both_bands_and_the_index()
    {
        string text = new MontageCheck(0.6, 0.4, 0.1, 0.2).Describe();

        Assert.Equal("0.3–2 Hz share 0.600 in the frontal slot's lead vs 0.400 in the posterior's, 8–12 Hz share 0.100 vs 0.200 (index +1.099)", text);
    }
}
