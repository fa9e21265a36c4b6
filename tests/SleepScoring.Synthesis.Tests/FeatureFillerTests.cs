using SleepScoring.Analysis;
using SleepScoring.Analysis.Signals;
using SleepScoring.Synthesis;

namespace SleepScoring.Synthesis.Tests;

public sealed class FeatureFillerTests
{
    [Fact]
    public void Fill_GapBetweenTwoRows_IsTheGeometricInterpolation()
    {
        // Delta 10 at epoch 0 and 1000 at epoch 2: epoch 1 is halfway on a log scale, √(10·1000) = 100.
        EpochFeatures low = new(10, 1, 1, 1, 1, 100, 0.2);
        EpochFeatures high = new(1000, 1, 1, 1, 1, 400, 0.8);
        NightFeatures night = new("x", [new(0, SleepStage.W, low, low), new(2, SleepStage.N3, high, high)]);

        EpochFeatures[] filled = FeatureFiller.Fill(night, 0, 4);

        Assert.Equal(low, filled[0]);
        Assert.Equal(100, filled[1].Delta, 9);
        Assert.Equal(200, filled[1].Variance, 9);
        Assert.Equal(0.4, filled[1].Mobility, 9);
        Assert.Equal(high, filled[2]);
        Assert.Equal(high, filled[3]); // after the last row: the nearest row
    }

    [Fact]
    public void Fill_EmptyTable_IsATypedError() =>
        Assert.Throws<ArgumentException>(() => FeatureFiller.Fill(new NightFeatures("x", []), 0, 3));
}
