using System.Globalization;

using SleepScoring.Training.Training;

namespace SleepScoring.Training.Tests.Training;

public sealed class TrainingPrimitivesTests
{
    [Fact]
    public void ClassWeights_Balanced_MatchesHandValues()
    {
        // N = 100, K = 4 present classes: w = 100 / (4 · n).
        float[] weights = ClassWeights.Balanced([50, 5, 25, 0, 20]);
        Assert.Equal([0.5f, 5f, 1f, 0f, 1.25f], weights);
    }

    [Fact]
    public void SeededRandom_SameSeedSameSequence_StateResumes()
    {
        var a = new SeededRandom(7);
        a.NextUInt64();
        ulong saved = a.State;
        ulong next = a.NextUInt64();
        Assert.Equal(next, new SeededRandom(saved).NextUInt64());
        // SplitMix64 reference value: the first output for seed 0 is 0xE220A8397B1DCDAF
        // (Vigna's splitmix64.c, also Java's SplittableRandom).
        Assert.Equal(0xE220A8397B1DCDAFUL, new SeededRandom(0).NextUInt64());
    }

    [Fact]
    public void SeededRandom_Shuffle_IsAPermutation()
    {
        int[] items = Enumerable.Range(0, 100).ToArray();
        new SeededRandom(3).Shuffle(items.AsSpan());
        Assert.Equal(Enumerable.Range(0, 100), items.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), items);
    }

    [Fact]
    public void LearningRateSchedule_WarmsUpThenDecaysToAThousandth()
    {
        var schedule = new LearningRateSchedule(1e-3, totalSteps: 101, warmupFraction: 0.1);
        // 10 warm-up steps from 1e-3/25 = 4e-5; step 10 is the peak; the last step is 1e-3/1000.
        Assert.Equal(4e-5, schedule.At(0), 12);
        Assert.Equal(1e-3, schedule.At(10), 12);
        Assert.Equal(1e-6, schedule.At(100), 12);
        // Half-way through the decay the cosine is at its midpoint: (1e-3 + 1e-6) / 2.
        Assert.Equal((1e-3 + 1e-6) / 2, schedule.At(55), 12);
    }

    [Fact]
    public void EarlyStopping_StopsAfterPatienceWithoutImprovement()
    {
        var stopping = new EarlyStopping(2);
        Assert.True(stopping.Report(0, 0.5, 0.4));
        Assert.True(stopping.Report(1, 0.6, 0.5));
        Assert.False(stopping.Report(2, 0.6, 0.4));
        Assert.False(stopping.ShouldStop);
        Assert.False(stopping.Report(3, 0.55, 0.6));
        Assert.True(stopping.ShouldStop);
        Assert.Equal(1, stopping.BestPass);
    }

    [Fact]
    public void SubjectSplit_IsDisjointDeterministicAndOrderFree()
    {
        string[] subjects = ["SC403", "SC400", "SC401", "SC402", "SC401"];
        var (train, validation) = SubjectSplit.Split(subjects, 1, 5);
        var (train2, validation2) = SubjectSplit.Split(subjects.Reverse(), 1, 5);
        Assert.Single(validation);
        Assert.Equal(3, train.Count);
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(validation, validation2);
        Assert.Equal(train, train2);
    }

    [Fact]
    public void ProgressBar_Format_ShowsCountEtaLossAndAccuracy()
    {
        var bar = new ProgressBar("stage1", 100, TextWriter.Null);
        // 25 of 100 steps in 10 s → 30 s to go.
        string text = bar.Format(25, TimeSpan.FromSeconds(10), 0.9123, 0.5);
        Assert.Equal("stage1 [######..................] 25/100 00:00:10 ETA 00:00:30 loss 0.912 acc " + 0.5.ToString("P1", CultureInfo.InvariantCulture), text);
    }
}