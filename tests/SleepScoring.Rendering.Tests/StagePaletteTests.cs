using SleepScoring.Analysis;

namespace SleepScoring.Rendering.Tests;

public class StagePaletteTests
{
    [Fact]
    public void DisplayOrder_IsTheClinicalHypnogramOrder()
    {
        // AASM hypnograms list wake on top, then REM, then NREM by depth.
        Assert.Equal([SleepStage.W, SleepStage.R, SleepStage.N1, SleepStage.N2, SleepStage.N3], StagePalette.DisplayOrder);
        for (int row = 0; row < 5; row++)
        {
            Assert.Equal(row, StagePalette.DisplayRow(StagePalette.DisplayOrder[row]));
        }
    }

    [Theory]
    [InlineData(SleepStage.Unscored)]
    [InlineData(SleepStage.Artefact)]
    [InlineData((SleepStage)42)]
    public void DisplayRow_NotAScoredStage_IsMinusOne(SleepStage stage) => Assert.Equal(-1, StagePalette.DisplayRow(stage));

    [Fact]
    public void Colors_OfTheFiveStages_AreDistinct() =>
        Assert.Equal(5, StagePalette.DisplayOrder.Select(StagePalette.Color).Distinct().Count());
}
