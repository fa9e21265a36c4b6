using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Tests.Common;

namespace SleepScoring.Analysis.Tests.Statistics;

/// <summary>
/// Expected values for the real hypnograms were computed independently of this code with awk over
/// the raw files: each file was turned into one stage per line (slpdb: `awk -F, '$1=="slp01a"{print $3}'`,
/// MT → U; leading epochs missing from the table → U; YASA integers mapped 0..4 → W N1 N2 N3 R), then
/// a 30-line awk script counted, for the window [s, e): scored/U epochs, sleep epochs (N1 N2 N3 R),
/// the first and last sleep epoch, the first R, the first run of 20 consecutive sleep epochs, W epochs
/// and W runs between first and last sleep (U skipped), and pairs of consecutive non-U epochs.
/// Minutes = epochs / 2.
/// </summary>
public class SleepStatisticsCalculatorTests
{
    private const double Tolerance = 1e-9;

    [SkippableFact]
    public void Compute_Slpdb01a_SleepFromTheFirstEpoch()
    {
        Hypnogram hypnogram = Slpdb("slp01a");

        SleepStatistics stats = SleepStatisticsCalculator.Compute(hypnogram);

        // awk: window 240, scored 239, U 1, W 7 N1 1 N2 105 N3 113 R 13, onset epoch 0, persistent 0,
        // SPT 240 epochs, WASO 7 epochs, first R 213 epochs after onset, 4 W runs, 26 changes.
        Assert.Equal(240, stats.WindowEpochs);
        Assert.Equal(1, stats.UnscoredEpochs);
        Assert.Equal(119.5, stats.TimeInBedMinutes, Tolerance);
        Assert.Equal(116.0, stats.TotalSleepTimeMinutes, Tolerance);
        Assert.Equal(0.0, stats.SleepOnsetLatencyMinutes);
        Assert.Equal(0.0, stats.PersistentSleepLatencyMinutes);
        Assert.Equal(120.0, stats.SleepPeriodTimeMinutes, Tolerance);
        Assert.Equal(3.5, stats.WakeAfterSleepOnsetMinutes, Tolerance);
        Assert.Equal(106.5, stats.RemLatencyMinutes);
        Assert.Equal(4, stats.Awakenings);
        Assert.Equal(26, stats.Transitions.Transitions);
        Assert.Equal(100.0 * 232 / 239, stats.SleepEfficiencyPercent!.Value, Tolerance);
        Assert.Equal(56.5, stats.StageMinutes[SleepStage.N3], Tolerance);
        Assert.Equal(100.0 * 113 / 232, stats.StagePercentOfSleep[SleepStage.N3], Tolerance);
        // awk pairs: N3>N3 106, N2>N2 93, W>N2 3, R>W 2.
        Assert.Equal(106, stats.Transitions.Count(SleepStage.N3, SleepStage.N3));
        Assert.Equal(93, stats.Transitions.Count(SleepStage.N2, SleepStage.N2));
        Assert.Equal(3, stats.Transitions.Count(SleepStage.W, SleepStage.N2));
        Assert.Equal(2, stats.Transitions.Count(SleepStage.R, SleepStage.W));
    }

    [SkippableFact]
    public void Compute_Slpdb14_LeadingUnscoredEpochsAreCountedNotSlept()
    {
        Hypnogram hypnogram = Slpdb("slp14");

        SleepStatistics stats = SleepStatisticsCalculator.Compute(hypnogram);

        // awk: window 720, scored 713, U 7 (6 leading + 1 MT), W 321 N1 188 N2 126 N3 42 R 36,
        // onset epoch 16, persistent at 22, SPT 704, WASO 311, REM 155 epochs after onset,
        // 39 W runs, 188 changes.
        Assert.Equal(7, stats.UnscoredEpochs);
        Assert.Equal(356.5, stats.TimeInBedMinutes, Tolerance);
        Assert.Equal(196.0, stats.TotalSleepTimeMinutes, Tolerance);
        Assert.Equal(8.0, stats.SleepOnsetLatencyMinutes);
        Assert.Equal(11.0, stats.PersistentSleepLatencyMinutes);
        Assert.Equal(352.0, stats.SleepPeriodTimeMinutes, Tolerance);
        Assert.Equal(155.5, stats.WakeAfterSleepOnsetMinutes, Tolerance);
        Assert.Equal(77.5, stats.RemLatencyMinutes);
        Assert.Equal(39, stats.Awakenings);
        Assert.Equal(188, stats.Transitions.Transitions);
        Assert.Equal(100.0 * 392 / 713, stats.SleepEfficiencyPercent!.Value, Tolerance);
        Assert.Equal(53, stats.Transitions.Count(SleepStage.N1, SleepStage.N2));
    }

    [SkippableFact]
    public void Compute_YasaSub02_RemNeverReached()
    {
        Hypnogram hypnogram = YasaText("yasa-sub-02-hypno-30s.txt");

        SleepStatistics stats = SleepStatisticsCalculator.Compute(hypnogram);

        // awk: 98 epochs all scored, W 36 N1 9 N2 31 N3 22 R 0, onset 22, persistent 40, SPT 69,
        // WASO 7, 3 W runs, 11 changes.
        Assert.Equal(49.0, stats.TimeInBedMinutes, Tolerance);
        Assert.Equal(31.0, stats.TotalSleepTimeMinutes, Tolerance);
        Assert.Equal(11.0, stats.SleepOnsetLatencyMinutes);
        Assert.Equal(20.0, stats.PersistentSleepLatencyMinutes);
        Assert.Equal(34.5, stats.SleepPeriodTimeMinutes, Tolerance);
        Assert.Equal(3.5, stats.WakeAfterSleepOnsetMinutes, Tolerance);
        Assert.Null(stats.RemLatencyMinutes);
        Assert.Equal(0, stats.StagePercentOfSleep[SleepStage.R]);
        Assert.Equal(3, stats.Awakenings);
        Assert.Equal(11, stats.Transitions.Transitions);
    }

    [SkippableFact]
    public void Compute_YasaFull6Hours()
    {
        Hypnogram hypnogram = YasaText("yasa-full-6hrs-hypno-30s.txt");

        SleepStatistics stats = SleepStatisticsCalculator.Compute(hypnogram);

        // awk: 720 epochs all scored, W 43 N1 22 N2 318 N3 182 R 155, onset 11, persistent 41, SPT 709,
        // WASO 32, REM 127 epochs after onset, 11 W runs, 48 changes; W>R 5 pairs.
        Assert.Equal(338.5, stats.TotalSleepTimeMinutes, Tolerance);
        Assert.Equal(5.5, stats.SleepOnsetLatencyMinutes);
        Assert.Equal(20.5, stats.PersistentSleepLatencyMinutes);
        Assert.Equal(354.5, stats.SleepPeriodTimeMinutes, Tolerance);
        Assert.Equal(16.0, stats.WakeAfterSleepOnsetMinutes, Tolerance);
        Assert.Equal(63.5, stats.RemLatencyMinutes);
        Assert.Equal(11, stats.Awakenings);
        Assert.Equal(48, stats.Transitions.Transitions);
        Assert.Equal(5, stats.Transitions.Count(SleepStage.W, SleepStage.R));
        Assert.Equal(100.0 * 677 / 720, stats.SleepEfficiencyPercent!.Value, Tolerance);
    }

    [Fact]
    public void Compute_NoSleepAtAll_LatenciesAreNullAndEfficiencyZero()
    {
        var hypnogram = new Hypnogram([SleepStage.W, SleepStage.W, SleepStage.Unscored, SleepStage.W]);

        SleepStatistics stats = SleepStatisticsCalculator.Compute(hypnogram);

        Assert.Null(stats.SleepOnsetEpoch);
        Assert.Null(stats.SleepOnsetLatencyMinutes);
        Assert.Null(stats.PersistentSleepLatencyMinutes);
        Assert.Null(stats.RemLatencyMinutes);
        Assert.Equal(0, stats.TotalSleepTimeMinutes);
        Assert.Equal(0, stats.SleepPeriodTimeMinutes);
        Assert.Equal(0, stats.Awakenings);
        Assert.Equal(1.5, stats.TimeInBedMinutes); // 3 scored W epochs; the unscored one is excluded
        Assert.Equal(0, stats.SleepEfficiencyPercent);
        Assert.Equal(2, stats.Transitions.Count(SleepStage.W, SleepStage.W)); // W W (?) W → two W→W pairs
    }

    [Fact]
    public void Compute_SleepFromTheFirstEpoch_ZeroLatenciesAndOneAwakening()
    {
        // N1 N2 N2 W N2 R W: onset epoch 0, last sleep epoch 5 → SPT 6 epochs = 3 min, WASO 1 epoch,
        // one awakening (the final W is after the sleep period), REM 5 epochs after onset.
        var hypnogram = new Hypnogram([SleepStage.N1, SleepStage.N2, SleepStage.N2, SleepStage.W, SleepStage.N2, SleepStage.R, SleepStage.W]);

        SleepStatistics stats = SleepStatisticsCalculator.Compute(hypnogram);

        Assert.Equal(0.0, stats.SleepOnsetLatencyMinutes);
        Assert.Equal(3.0, stats.SleepPeriodTimeMinutes);
        Assert.Equal(0.5, stats.WakeAfterSleepOnsetMinutes);
        Assert.Equal(1, stats.Awakenings);
        Assert.Equal(2.5, stats.RemLatencyMinutes);
        Assert.Equal(100.0 * 5 / 7, stats.SleepEfficiencyPercent!.Value, Tolerance);
        Assert.Equal(20.0, stats.StagePercentOfSleep[SleepStage.N1], Tolerance);
    }

    [Fact]
    public void Compute_OnlyUnscored_EfficiencyIsNull()
    {
        SleepStatistics stats = SleepStatisticsCalculator.Compute(new Hypnogram([SleepStage.Unscored, SleepStage.Artefact]));

        Assert.Null(stats.SleepEfficiencyPercent);
        Assert.Equal(1, stats.UnscoredEpochs);
        Assert.Equal(1, stats.ArtefactEpochs);
    }

    [Fact]
    public void Compute_UnscoredRunsInsideSleep_AreExcludedButKeepClockLatencies()
    {
        // W ? ? N2 W ? W R N2 W: onset at epoch 3 (1.5 min after the start even though two epochs are
        // unscored); SPT = epochs 3..8 = 6 epochs = 3 min = TST 1.5 + WASO 1.0 + unscored 0.5;
        // "W ? W" inside SPT is one awakening; REM 4 epochs after onset.
        var hypnogram = new Hypnogram(
        [
            SleepStage.W, SleepStage.Unscored, SleepStage.Unscored, SleepStage.N2, SleepStage.W,
            SleepStage.Unscored, SleepStage.W, SleepStage.R, SleepStage.N2, SleepStage.W,
        ]);

        SleepStatistics stats = SleepStatisticsCalculator.Compute(hypnogram);

        Assert.Equal(3, stats.UnscoredEpochs);
        Assert.Equal(3.5, stats.TimeInBedMinutes);
        Assert.Equal(1.5, stats.SleepOnsetLatencyMinutes);
        Assert.Equal(3.0, stats.SleepPeriodTimeMinutes);
        Assert.Equal(1.5, stats.TotalSleepTimeMinutes);
        Assert.Equal(1.0, stats.WakeAfterSleepOnsetMinutes);
        Assert.Equal(1, stats.Awakenings);
        Assert.Equal(2.0, stats.RemLatencyMinutes);
        Assert.Null(stats.PersistentSleepLatencyMinutes);
        // Scored sequence W N2 W W R N2 W: changes W>N2, N2>W, W>R, R>N2, N2>W = 5.
        Assert.Equal(5, stats.Transitions.Transitions);
        Assert.Equal(1, stats.Transitions.Count(SleepStage.W, SleepStage.W));
    }

    [Fact]
    public void Compute_PersistentSleep_NeedsTwentyUnbrokenSleepEpochs()
    {
        // 3 W, 19 N2, 1 unscored (breaks the run), 20 N2: persistent sleep starts at epoch 23 = 11.5 min.
        SleepStage[] stages = [.. Repeat(SleepStage.W, 3), .. Repeat(SleepStage.N2, 19), SleepStage.Unscored, .. Repeat(SleepStage.N2, 20)];

        SleepStatistics stats = SleepStatisticsCalculator.Compute(new Hypnogram(stages));

        Assert.Equal(1.5, stats.SleepOnsetLatencyMinutes);
        Assert.Equal(11.5, stats.PersistentSleepLatencyMinutes);
    }

    [Fact]
    public void Compute_LightsOffAndOn_BoundTheWindowToWholeEpochs()
    {
        // Lights off at 45 s (inside epoch 1), on at 200 s (inside epoch 6): window = epochs 1..6.
        SleepStage[] stages = [SleepStage.N2, SleepStage.W, SleepStage.W, SleepStage.N1, SleepStage.N2, SleepStage.R, SleepStage.W, SleepStage.N2];

        SleepStatistics stats = SleepStatisticsCalculator.Compute(new Hypnogram(stages), lightsOffSeconds: 45, lightsOnSeconds: 200);

        Assert.Equal(1, stats.WindowStartEpoch);
        Assert.Equal(6, stats.WindowEpochs);
        Assert.Equal(3, stats.SleepOnsetEpoch);
        Assert.Equal(1.0, stats.SleepOnsetLatencyMinutes); // epoch 3 starts 2 epochs after the window start
        Assert.Equal(3.0, stats.TimeInBedMinutes);
        Assert.Equal(1.5, stats.TotalSleepTimeMinutes);
        Assert.Equal(1.0, stats.RemLatencyMinutes);
        Assert.Equal(50.0, stats.SleepEfficiencyPercent);
    }

    [Theory]
    [InlineData(-1.0, null)]
    [InlineData(100.0, 50.0)]
    [InlineData(0.0, 1000.0)]
    public void Compute_LightsOutsideTheHypnogram_AreRejected(double? off, double? on) =>
        Assert.Throws<ScoringInputException>(() => SleepStatisticsCalculator.Compute(new Hypnogram(Repeat(SleepStage.W, 10)), off, on));

    private static SleepStage[] Repeat(SleepStage stage, int count) => Enumerable.Repeat(stage, count).ToArray();

    private static Hypnogram Slpdb(string record)
    {
        using StreamReader reader = File.OpenText(SharedData.Require("label-only/slpdb-stages.csv"));
        return SlpdbStagesCsv.Read(reader)[record];
    }

    private static Hypnogram YasaText(string name)
    {
        using StreamReader reader = File.OpenText(SharedData.Require("label-only/" + name));
        return StageListText.Read(reader);
    }
}
