using SleepScoring.Inference.Scoring;
using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Scoring;

public sealed class StudySensingTests
{
    [Theory]
    // objective, limit, chosen filter, adaptive → broadband noise, out of distribution
    [InlineData(0.5, 1.0, "none", true, false, false)]
    [InlineData(1.5, 1.0, "none", true, false, true)] // far from the training nights by the objective
    [InlineData(0.5, 1.0, "lp:20", true, true, true)] // a low-pass won the search: noise the model never saw
    [InlineData(0.5, null, "lp:15", true, true, true)] // whatever the card's limit
    [InlineData(0.5, 1.0, "ns:15", true, true, true)] // so did a noise floor's subtraction
    [InlineData(0.5, 1.0, "hp:0.5", true, false, false)] // a high-pass is no answer to broadband noise
    [InlineData(0.5, 1.0, "lp:20", false, false, false)] // not searched: nothing was chosen against noise
    public void A_night_read_through_a_low_pass_is_out_of_distribution_whatever_its_objective(double objective, double? limit, string filter, bool adaptive, bool noise, bool outOfDistribution)
    {
        var chosen = new SensingCandidate([null, null], [1f, 1f], SensingFilter.Parse(filter));
        var sensing = new StudySensing(new SensingResult(adaptive, chosen, [], 0, "test"), objective, limit);

        Assert.Equal((noise, outOfDistribution), (sensing.BroadbandNoise, sensing.OutOfDistribution));
    }
}
