using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Analysis.Tests.Conditioning;

public sealed class EpochGridTests
{
    [Fact]
    public void Build_TwoMinuteStudy_GivesFourScorableEpochs()
    {
        IReadOnlyList<ConditionedEpoch> epochs = EpochGrid.Build(120, [new DataSegment(0, 120, 0, 4)]);
        Assert.Equal([0.0, 30, 60, 90], epochs.Select(e => e.Onset));
        Assert.All(epochs, e => Assert.True(e.Scorable));
    }

    [Fact]
    public void Build_TrailingPartialEpoch_IsNotAnEpoch() =>
        Assert.Equal(2, EpochGrid.Build(89.5, [new DataSegment(0, 89.5, 0, 179)]).Count);

    [Theory]
    [InlineData(0)]
    [InlineData(29.9)]
    public void Build_ShorterThanOneEpoch_IsATypedError(double duration)
    {
        StudyTooShortException e = Assert.Throws<StudyTooShortException>(() => EpochGrid.Build(duration, [new DataSegment(0, duration, 0, 1)]));
        Assert.Equal(duration, e.DurationSeconds);
        Assert.True(e.TooShort);
        Assert.Contains("30-s epoch", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(72 * 3600 + 30)]
    [InlineData(1e12)]
    [InlineData(double.NaN)]
    public void Build_TimelineBeyond72Hours_IsATypedError_NotAHugeAllocation(double duration)
    {
        // A damaged EDF+D onset (e.g. a record at 10¹² s) must not become a 10¹⁴-sample array.
        StudyDurationException e = Assert.Throws<StudyDurationException>(() => EpochGrid.Build(duration, [new DataSegment(0, 30, 0, 1)]));
        Assert.False(e.TooShort);
    }

    [Fact]
    public void Build_GapInTheMiddle_MarksEpochsAcrossAndInsideIt()
    {
        // Data 0–75 s and 135–210 s (records of 15 s); epochs of 30 s:
        // [0,30) [30,60) ok; [60,90) crosses the gap start; [90,120) in the gap; [120,150) crosses
        // the gap end; [150,180) [180,210) ok.
        DataSegment[] segments = [new(0, 75, 0, 5), new(135, 75, 5, 5)];
        IReadOnlyList<ConditionedEpoch> epochs = EpochGrid.Build(210, segments);
        Assert.Equal(
            [EpochExclusion.None, EpochExclusion.None, EpochExclusion.CrossesGap, EpochExclusion.InGap, EpochExclusion.CrossesGap, EpochExclusion.None, EpochExclusion.None],
            epochs.Select(e => e.Exclusion));
    }

    [Fact]
    public void Build_LightsPeriod_ExcludesEpochsOutsideIt_KeepingTheOnesThatHoldTheSwitch()
    {
        // Lights off at 45 s (inside epoch 1), on at 125 s (inside epoch 4): epochs 1–4 are analysed.
        IReadOnlyList<ConditionedEpoch> epochs = EpochGrid.Build(180, [new DataSegment(0, 180, 0, 6)], LightsPeriod.Create(45, 125));
        Assert.Equal([false, true, true, true, true, false], epochs.Select(e => e.Scorable));
        Assert.Equal(EpochExclusion.OutsideLightsPeriod, epochs[5].Exclusion);
    }
}
