using SleepScoring.Training.Quantization;

namespace SleepScoring.Training.Tests.Quantization;

public sealed class TemperatureFitTests
{
    [Fact]
    public void Fits_the_temperature_whose_probability_equals_the_observed_frequency()
    {
        // Two classes, every row has logits (2, 0); class 0 is true in 80 % of rows. The NLL is
        // minimal where softmax gives p(0) = 0.8, i.e. 2 / T = ln(0.8 / 0.2) = ln 4 → T = 2 / ln 4 ≈ 1.4427.
        const int rows = 100;
        var logits = new double[rows, 2];
        var truth = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            logits[r, 0] = 2;
            truth[r] = r < 80 ? 0 : 1;
        }

        Assert.Equal(2 / Math.Log(4), TemperatureFit.Fit(logits, truth), 4);
    }

    [Fact]
    public void Overconfident_logits_are_softened_and_underconfident_ones_sharpened()
    {
        // p(0) = 0.6 observed; logits 5 → T = 5 / ln 1.5 ≈ 12.3 is outside the search range, so the fit
        // stops at the upper bound e^2.5 ≈ 12.18; logits 0.1 with 90 % → T = 0.1 / ln 9 ≈ 0.0455, below
        // the lower bound e^−2 ≈ 0.135. Both are clamped, and both move the right way.
        var logits = new double[10, 2];
        var truth = new int[10];
        for (int r = 0; r < 10; r++)
        {
            logits[r, 0] = 5;
            truth[r] = r < 6 ? 0 : 1;
        }

        Assert.Equal(Math.Exp(2.5), TemperatureFit.Fit(logits, truth), 3);
        for (int r = 0; r < 10; r++)
        {
            logits[r, 0] = 0.1;
            truth[r] = r < 9 ? 0 : 1;
        }

        Assert.Equal(Math.Exp(-2), TemperatureFit.Fit(logits, truth), 3);
    }

    [Fact]
    public void Negative_log_likelihood_matches_a_hand_computed_value()
    {
        // One row (ln 3, 0), truth 0, T = 1: p = 3 / 4 → −ln 0.75 = 0.28768.
        Assert.Equal(-Math.Log(0.75), TemperatureFit.NegativeLogLikelihood(new double[,] { { Math.Log(3), 0 } }, [0], 1), 10);
    }

    [Fact]
    public void Mismatched_rows_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TemperatureFit.Fit(new double[2, 2], [0]));
    }
}
