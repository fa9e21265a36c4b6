using SleepScoring.Analysis.Staging;

namespace SleepScoring.Analysis.Tests.Staging;

public class HypnogramTests
{
    [Fact]
    public void Constructor_CopiesStagesAndProbabilities()
    {
        SleepStage[] stages = [SleepStage.W, SleepStage.N2];
        float[][] probabilities = [[1, 0, 0, 0, 0], [0, 0.1f, 0.9f, 0, 0]];
        var hypnogram = new Hypnogram(stages, 30, new DateTime(1989, 4, 24, 16, 13, 0), probabilities);
        stages[0] = SleepStage.R;
        probabilities[1][2] = 0;

        Assert.Equal(SleepStage.W, hypnogram[0]);
        Assert.Equal(0.9f, hypnogram.ProbabilitiesAt(1)[2]);
        Assert.Equal(TimeSpan.FromMinutes(1), hypnogram.Duration);
        Assert.Equal(30, hypnogram.OnsetSeconds(1));
        Assert.Equal(1, hypnogram.CountOf(SleepStage.N2));
    }

    [Fact]
    public void Constructor_ProbabilityRowOfWrongWidth_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Hypnogram([SleepStage.W], probabilities: [[1, 0, 0, 0]]));
        Assert.Contains("4 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UndefinedStageOrBadEpochLength_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new Hypnogram([(SleepStage)9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Hypnogram([SleepStage.W], epochSeconds: 0));
    }

    [Fact]
    public void ProbabilitiesAt_WithoutProbabilities_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new Hypnogram([SleepStage.W]).ProbabilitiesAt(0).Length);
}
