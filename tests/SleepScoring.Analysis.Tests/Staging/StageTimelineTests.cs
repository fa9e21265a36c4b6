using SleepScoring.Analysis.Staging;

namespace SleepScoring.Analysis.Tests.Staging;

public class StageTimelineTests
{
    [Fact]
    public void Build_RunsOnTheGrid_ExpandToEpochs()
    {
        AnnotatedHypnogram result = StageTimeline.Build(
        [
            new(0, 60, "Sleep stage W"),
            new(60, 90, "Sleep stage 4"),
            new(150, 30, "Sleep stage R"),
        ]);

        Assert.Equal([SleepStage.W, SleepStage.W, SleepStage.N3, SleepStage.N3, SleepStage.N3, SleepStage.R], result.Hypnogram.Stages);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Build_Gap_IsUnscoredAndWarned()
    {
        AnnotatedHypnogram result = StageTimeline.Build([new(0, 30, "W"), new(90, 30, "N2")]);

        Assert.Equal([SleepStage.W, SleepStage.Unscored, SleepStage.Unscored, SleepStage.N2], result.Hypnogram.Stages);
        Assert.Contains(result.Warnings, w => w.StartsWith("2 epochs are covered by no stage annotation", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ConflictingOverlap_IsUnscored_EqualOverlapIsKept()
    {
        // Epoch 1 (30–60 s) is claimed by W and N1; epoch 2 by N1 twice.
        AnnotatedHypnogram result = StageTimeline.Build([new(0, 60, "W"), new(30, 60, "N1"), new(60, 30, "N1")]);

        Assert.Equal([SleepStage.W, SleepStage.Unscored, SleepStage.N1], result.Hypnogram.Stages);
        Assert.Contains(result.Warnings, w => w.StartsWith("1 epochs are claimed by overlapping", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_RunsOffTheGrid_RoundByEpochMidpoint()
    {
        // W covers 0–40 s: epoch 0's midpoint (15 s) is inside, epoch 1's (45 s) is not.
        // N2 covers 40–100 s: midpoints 45 and 75 are inside, 105 is not.
        AnnotatedHypnogram result = StageTimeline.Build([new(0, 40, "W"), new(40, 60, "N2")]);

        Assert.Equal([SleepStage.W, SleepStage.N2, SleepStage.N2], result.Hypnogram.Stages);
        Assert.Contains(result.Warnings, w => w.StartsWith("2 stage annotations are not whole", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_PointAnnotation_ScoresTheEpochItFallsIn()
    {
        AnnotatedHypnogram result = StageTimeline.Build([new(0, null, "W"), new(35, 0, "R")]);

        Assert.Equal([SleepStage.W, SleepStage.R], result.Hypnogram.Stages);
    }

    [Fact]
    public void Build_LightsAndOtherTexts_AreSeparatedFromStages()
    {
        AnnotatedHypnogram result = StageTimeline.Build(
            [new(0, 60, "W"), new(33.43, 0, "Lights off@@EEG F4-A1"), new(50, 0, "Arousal"), new(55, 0, "Lights on")]);

        Assert.Equal(33.43, result.LightsOffSeconds);
        Assert.Equal(55, result.LightsOnSeconds);
        Assert.Equal(2, result.Hypnogram.Count);
        Assert.Contains("1 annotations that are not sleep stages were ignored.", result.Warnings);
    }

    [Fact]
    public void Build_RecordingLength_TruncatesOrPads()
    {
        Assert.Equal(4, StageTimeline.Build([new(0, 60, "W")], recordingSeconds: 125).Hypnogram.Count);
        AnnotatedHypnogram cut = StageTimeline.Build([new(0, 300, "W")], recordingSeconds: 60);
        Assert.Equal(2, cut.Hypnogram.Count);
        Assert.Contains(cut.Warnings, w => w.Contains("8 epochs past", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_NegativeOnset_NamesAnnotationFieldAndValue()
    {
        var error = Assert.Throws<HypnogramFormatException>(() => StageTimeline.Build([new(0, 30, "W"), new(-30, 30, "N1")]));

        Assert.Equal(2, error.Line);
        Assert.Equal("onset", error.Field);
        Assert.Equal("-30", error.Value);
    }

    [Fact]
    public void Build_HugeDuration_IsRefusedNotAllocated()
    {
        var error = Assert.Throws<HypnogramFormatException>(() => StageTimeline.Build([new(0, 1e9, "W")]));

        Assert.Equal("duration", error.Field);
    }

    [Fact]
    public void Build_NoStageAtAll_IsRefused() =>
        Assert.Throws<HypnogramFormatException>(() => StageTimeline.Build([new(0, 0, "Lights off")]));

    [Fact]
    public void Build_StrictUnknownLabel_NamesTheText()
    {
        var error = Assert.Throws<HypnogramFormatException>(() => StageTimeline.Build([new(0, 30, "N5")], strictLabels: true));

        Assert.Equal("N5", error.Value);
        Assert.Contains("line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StageRuns_MergeEqualEpochs_AndBuildReadsThemBack()
    {
        var hypnogram = new Hypnogram([SleepStage.W, SleepStage.W, SleepStage.N1, SleepStage.Unscored, SleepStage.Artefact, SleepStage.N3]);

        IReadOnlyList<StageAnnotation> rk = StageRuns.ToAnnotations(hypnogram, StageLabelStyle.SleepEdf);
        IReadOnlyList<StageAnnotation> aasm = StageRuns.ToAnnotations(hypnogram, StageLabelStyle.Aasm);

        // Sleep-EDF style writes unscored and artefact both as "Sleep stage ?", so they merge.
        Assert.Equal([new(0, 60, "Sleep stage W"), new(60, 30, "Sleep stage 1"), new(90, 60, "Sleep stage ?"), new(150, 30, "Sleep stage 3")], rk);
        Assert.Equal(5, aasm.Count);
        Assert.Equal(hypnogram.Stages, StageTimeline.Build(aasm).Hypnogram.Stages);
    }
}
