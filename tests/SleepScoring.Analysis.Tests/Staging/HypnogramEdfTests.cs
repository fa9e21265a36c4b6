using System.Globalization;

using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Tests.Common;

namespace SleepScoring.Analysis.Tests.Staging;

public class HypnogramEdfTests
{
    public static TheoryData<string, string> SleepEdfNights { get; } = new()
    {
        { "SC4001E0", "SC4001EC" }, { "SC4002E0", "SC4002EC" }, { "SC4011E0", "SC4011EH" }, { "SC4012E0", "SC4012EC" },
        { "SC4021E0", "SC4021EH" }, { "SC4022E0", "SC4022EJ" }, { "SC4031E0", "SC4031EC" }, { "SC4032E0", "SC4032EP" },
        { "SC4041E0", "SC4041EC" }, { "SC4042E0", "SC4042EC" }, { "SC4051E0", "SC4051EC" }, { "SC4052E0", "SC4052EC" },
        { "SC4061E0", "SC4061EC" }, { "SC4062E0", "SC4062EC" }, { "SC4071E0", "SC4071EC" }, { "SC4072E0", "SC4072EH" },
    };

    [SkippableTheory]
    [MemberData(nameof(SleepEdfNights))]
    public void Read_SleepEdfHypnogram_AgreesWithTheFeatureCsvEpochByEpoch(string night, string hypnogramName)
    {
        string csv = SharedData.Require($"sleep-edf-features/{night}.csv");
        string edf = SharedData.Require($"sleep-edf-features/hypnograms/{hypnogramName}-Hypnogram.edf");

        Hypnogram hypnogram = HypnogramEdf.Read(edf).Hypnogram;

        // The feature CSV (another project's reading of the same night) lists every scored epoch with
        // its index and stage; epochs scored ? or Movement time are absent. SC4011E0.csv is truncated
        // after 951 rows (data README), so the comparison covers the epochs up to its last row.
        var expected = new int[5];
        int lastEpoch = -1;
        foreach (string line in File.ReadLines(csv).Skip(1))
        {
            string[] cells = line.Split(',', 3);
            int epoch = int.Parse(cells[0], CultureInfo.InvariantCulture);
            Assert.True(StageLabel.TryParse(cells[1], out SleepStage stage));
            Assert.Equal(stage, hypnogram[epoch]);
            expected[(int)stage]++;
            lastEpoch = epoch;
        }

        ReadOnlySpan<SleepStage> covered = hypnogram.StageSpan[..(lastEpoch + 1)];
        for (int s = 0; s < 5; s++)
        {
            Assert.Equal(expected[s], covered.Count((SleepStage)s));
        }
    }

    [SkippableFact]
    public void Read_SleepEdfHypnogram_MergesRkStagesAndCountsUnscored()
    {
        string edf = SharedData.Require("sleep-edf-features/hypnograms/SC4001EC-Hypnogram.edf");

        AnnotatedHypnogram read = HypnogramEdf.Read(edf);

        // Summing durations/30 per label over the raw TALs (tr '\0\24\25' + awk): W 1997, 1 58, 2 250,
        // 3 101 + 4 119 = N3 220, R 125, ? 230; the last run ends at 86,400 s = 2880 epochs.
        Hypnogram h = read.Hypnogram;
        Assert.Equal(2880, h.Count);
        Assert.Equal(1997, h.CountOf(SleepStage.W));
        Assert.Equal(220, h.CountOf(SleepStage.N3));
        Assert.Equal(230, h.CountOf(SleepStage.Unscored));
        Assert.Equal(new DateTime(1989, 4, 24, 16, 13, 0), h.StartTime);
        Assert.Empty(read.Warnings);
    }

    [SkippableFact]
    public void Read_HmcScoringFile_EpochsStagesAndLights()
    {
        string edf = SharedData.Require("label-only/hmc-SN001-scoring.edf");

        AnnotatedHypnogram read = HypnogramEdf.Read(edf);

        // strings | grep -c per label over the raw file: W 151, N1 109, N2 430, N3 23, R 141 = 854;
        // TALs "+33.43\x150\x14Lights off@@EEG F4-A1" and "+25618.74\x150\x14Lights on@@EEG Fpz-Cz".
        Hypnogram h = read.Hypnogram;
        Assert.Equal(854, h.Count);
        Assert.Equal(151, h.CountOf(SleepStage.W));
        Assert.Equal(109, h.CountOf(SleepStage.N1));
        Assert.Equal(430, h.CountOf(SleepStage.N2));
        Assert.Equal(23, h.CountOf(SleepStage.N3));
        Assert.Equal(141, h.CountOf(SleepStage.R));
        Assert.Equal(33.43, read.LightsOffSeconds);
        Assert.Equal(25618.74, read.LightsOnSeconds);
        Assert.Empty(read.Warnings);
    }

    [SkippableFact]
    public void Statistics_HmcWithLights_MatchAwkOverTheRawTals()
    {
        AnnotatedHypnogram read = HypnogramEdf.Read(SharedData.Require("label-only/hmc-SN001-scoring.edf"));

        SleepStatistics stats = SleepStatisticsCalculator.Compute(read.Hypnogram, read.LightsOffSeconds, read.LightsOnSeconds);

        // awk over the TALs (one 30-s stage annotation per epoch, onset/30 = epoch), window epochs 1..853
        // (lights-off 33.43 s lies in epoch 1, lights-on 25618.74 s in epoch 853): 853 scored epochs,
        // W 150 N1 109 N2 430 N3 23 R 141; first sleep epoch 8 (7 after the window start), 20 unbroken
        // sleep epochs from 39, last sleep epoch 843 (SPT 836 epochs), W inside SPT 133 in 12 runs,
        // first R 147 epochs after onset, 98 stage changes, N2→N1 18 times.
        Assert.Equal(1, stats.WindowStartEpoch);
        Assert.Equal(853, stats.WindowEpochs);
        Assert.Equal(426.5, stats.TimeInBedMinutes);
        Assert.Equal(351.5, stats.TotalSleepTimeMinutes);
        Assert.Equal(3.5, stats.SleepOnsetLatencyMinutes);
        Assert.Equal(19.0, stats.PersistentSleepLatencyMinutes);
        Assert.Equal(418.0, stats.SleepPeriodTimeMinutes);
        Assert.Equal(66.5, stats.WakeAfterSleepOnsetMinutes);
        Assert.Equal(73.5, stats.RemLatencyMinutes);
        Assert.Equal(12, stats.Awakenings);
        Assert.Equal(98, stats.Transitions.Transitions);
        Assert.Equal(18, stats.Transitions.Count(SleepStage.N2, SleepStage.N1));
        Assert.Equal(100.0 * 703 / 853, stats.SleepEfficiencyPercent!.Value, 1e-9);
    }

    [Theory]
    [InlineData(StageLabelStyle.SleepEdf)]
    [InlineData(StageLabelStyle.Aasm)]
    public void Write_ThenRead_GivesTheSameEpochsStartAndLights(StageLabelStyle style)
    {
        var hypnogram = new Hypnogram(
            [SleepStage.W, SleepStage.W, SleepStage.N1, SleepStage.N2, SleepStage.N3, SleepStage.N3, SleepStage.R, SleepStage.Unscored, SleepStage.W],
            30,
            new DateTime(2024, 3, 1, 22, 15, 0));
        using var stream = new MemoryStream();

        HypnogramEdf.Write(hypnogram, stream, style, lightsOffSeconds: 12.5, lightsOnSeconds: 260);
        stream.Position = 0;
        AnnotatedHypnogram read = HypnogramEdf.Read(stream);

        Assert.Equal(hypnogram.Stages, read.Hypnogram.Stages);
        Assert.Equal(hypnogram.StartTime, read.Hypnogram.StartTime);
        Assert.Equal(12.5, read.LightsOffSeconds);
        Assert.Equal(260, read.LightsOnSeconds);
    }

    [Fact]
    public void Read_NotAnEdfFile_IsAHypnogramFormatException()
    {
        using var stream = new MemoryStream("onset,duration,stage\n0,30,W\n"u8.ToArray());

        var error = Assert.Throws<HypnogramFormatException>(() => HypnogramEdf.Read(stream));

        Assert.IsType<SleepScoring.Edf.EdfFormatException>(error.InnerException, exactMatch: false);
    }
}
