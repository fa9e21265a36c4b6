using SleepScoring.Analysis.Staging;

namespace SleepScoring.Analysis.Tests.Staging;

public class StageLabelTests
{
    [Theory]
    // Sleep-EDF (R&K): 3 and 4 merge into N3; ? and Movement time are unscored (DOMAIN.md).
    [InlineData("Sleep stage W", SleepStage.W)]
    [InlineData("Sleep stage 1", SleepStage.N1)]
    [InlineData("Sleep stage 2", SleepStage.N2)]
    [InlineData("Sleep stage 3", SleepStage.N3)]
    [InlineData("Sleep stage 4", SleepStage.N3)]
    [InlineData("Sleep stage R", SleepStage.R)]
    [InlineData("Sleep stage ?", SleepStage.Unscored)]
    [InlineData("Movement time", SleepStage.Unscored)]
    // HMC (AASM spelling).
    [InlineData("Sleep stage N1", SleepStage.N1)]
    [InlineData("Sleep stage N3", SleepStage.N3)]
    [InlineData("sleep stage r ", SleepStage.R)]
    // slpdb and YASA strings.
    [InlineData("MT", SleepStage.Unscored)]
    [InlineData("REM", SleepStage.R)]
    [InlineData("Wake", SleepStage.W)]
    [InlineData("S4", SleepStage.N3)]
    [InlineData("Uns", SleepStage.Unscored)]
    [InlineData("ART", SleepStage.Artefact)]
    public void TryParse_KnownLabel_GivesStage(string text, SleepStage expected)
    {
        Assert.True(StageLabel.TryParse(text, out SleepStage stage));
        Assert.Equal(expected, stage);
    }

    [Theory]
    [InlineData("Lights off")]
    [InlineData("Sleep stage 5")]
    [InlineData("")]
    [InlineData("N 2")]
    public void TryParse_NotAStage_IsFalse(string text) => Assert.False(StageLabel.TryParse(text, out _));

    [Theory]
    // YASA: 0 W, 1 N1, 2 N2, 3 N3, 4 R, -1 Art, -2 Uns (yasa.hypno_str_to_int's mapping).
    [InlineData("0", SleepStage.W)]
    [InlineData("4", SleepStage.R)]
    [InlineData("-1", SleepStage.Artefact)]
    [InlineData("-2", SleepStage.Unscored)]
    public void TryParseYasaInteger_Codes_MapLikeYasa(string text, SleepStage expected)
    {
        Assert.True(StageLabel.TryParseYasaInteger(text, out SleepStage stage));
        Assert.Equal(expected, stage);
        Assert.Equal(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture), StageLabel.ToYasaInteger(stage));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("-3")]
    [InlineData("W")]
    public void TryParseYasaInteger_OutOfRange_IsFalse(string text) => Assert.False(StageLabel.TryParseYasaInteger(text, out _));

    [Fact]
    public void ToAnnotation_EveryStageInEitherStyle_ReadsBackToItself_ExceptArtefactInSleepEdfStyle()
    {
        foreach (SleepStage stage in Enum.GetValues<SleepStage>())
        {
            Assert.True(StageLabel.TryParse(StageLabel.ToAnnotation(stage, StageLabelStyle.Aasm), out SleepStage aasm));
            Assert.Equal(stage, aasm);
            Assert.True(StageLabel.TryParse(StageLabel.ToAnnotation(stage, StageLabelStyle.SleepEdf), out SleepStage rk));
            Assert.Equal(stage == SleepStage.Artefact ? SleepStage.Unscored : stage, rk);
        }
    }
}
