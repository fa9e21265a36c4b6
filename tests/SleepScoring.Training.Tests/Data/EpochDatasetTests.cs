using SleepScoring.Analysis;
using SleepScoring.Training.Data;

namespace SleepScoring.Training.Tests.Data;

public sealed class EpochDatasetTests
{
    [Fact]
    public void ScoredEpochs_SleepPeriodOnly_KeepsSleepPlusThirtyMinutesOfWake()
    {
        // 300 epochs: wake, N2 at 100–119, wake again; epoch 150 unscored.
        var stages = Enumerable.Repeat(SleepStage.W, 300).ToArray();
        for (int e = 100; e < 120; e++)
        {
            stages[e] = SleepStage.N2;
        }

        stages[150] = SleepStage.Unscored;
        var night = new NightImages("S1", 1, 2, 3, new byte[300 * 6], stages, Enumerable.Range(0, 300).ToArray());

        var all = new EpochDataset([night]);
        var sleepPeriod = new EpochDataset([night], sleepPeriodOnly: true);

        // All scored: 300 − 1 unscored. Sleep period 100–119 ± 60 → epochs 40–179, minus epoch 150.
        Assert.Equal(299, all.ScoredEpochs.Count);
        Assert.Equal(179 - 40 + 1 - 1, sleepPeriod.ScoredEpochs.Count);
        Assert.Equal(40, sleepPeriod.ScoredEpochs[0].Position);
        Assert.Equal(179, sleepPeriod.ScoredEpochs[^1].Position);
        Assert.Equal(new long[] { 119, 0, 20, 0, 0 }, sleepPeriod.StageCounts());
        Assert.True(sleepPeriod.ForSubjects(["S1"]).SleepPeriodOnly);
    }

    [Fact]
    public void Images_CopiesThePixelsOfEachEpoch()
    {
        byte[] pixels = Enumerable.Range(0, 3 * 4).Select(i => (byte)i).ToArray();
        var night = new NightImages("S1", 1, 2, 2, pixels, [SleepStage.W, SleepStage.N1, SleepStage.R], [0, 1, 2]);
        var dataset = new EpochDataset([night]);

        using TorchSharp.torch.Tensor images = dataset.Images([new EpochRef(0, 2), new EpochRef(0, 0)]);

        Assert.Equal(new long[] { 2, 2, 2 }, images.shape);
        Assert.Equal(new byte[] { 8, 9, 10, 11, 0, 1, 2, 3 }, images.data<byte>().ToArray());
    }

    [Fact]
    public void NightImages_SizesDisagree_ThrowsNamingTheNight()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NightImages("S7", 2, 2, 2, new byte[7], [SleepStage.W, SleepStage.W], [0, 1]));
        Assert.Contains("S7/2", ex.Message, StringComparison.Ordinal);
    }
}
