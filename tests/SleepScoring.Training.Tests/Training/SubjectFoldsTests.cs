using SleepScoring.Training.Training;

namespace SleepScoring.Training.Tests.Training;

public sealed class SubjectFoldsTests
{
    [Fact]
    public void EightSubjectsInFourFolds_ContiguousPairsOfSortedSubjects()
    {
        // Sorted 00..07 cut into four blocks of two (hand-written).
        string[] shuffled = ["05", "00", "07", "02", "01", "06", "03", "04"];
        IReadOnlyList<IReadOnlyList<string>> folds = SubjectFolds.Assign(shuffled, 4);
        Assert.Equal(4, folds.Count);
        Assert.Equal(["00", "01"], folds[0]);
        Assert.Equal(["02", "03"], folds[1]);
        Assert.Equal(["04", "05"], folds[2]);
        Assert.Equal(["06", "07"], folds[3]);
    }

    [Fact]
    public void Folds_are_the_feature_baselines_folds()
    {
        // The issue compares the image model with the feature baseline on the same folds.
        IReadOnlyList<IReadOnlyList<string>> folds = SubjectFolds.Assign(["00", "01", "02", "03", "04", "05", "06", "07"], 4);
        IReadOnlyList<IReadOnlyList<string>> baseline = new SleepScoring.Training.Baseline.FeatureBaselineOptions().Folds;

        Assert.Equal(baseline.Select(f => f.Select(s => s[3..]).ToArray()), folds.Select(f => f.ToArray()));
    }

    [Fact]
    public void RepeatedSubjects_CountOnce_AndUnevenFoldsDifferByOne()
    {
        IReadOnlyList<IReadOnlyList<string>> folds = SubjectFolds.Assign(["b", "a", "c", "a", "e", "d"], 2);
        Assert.Equal(["a", "b", "c"], folds[0]);
        Assert.Equal(["d", "e"], folds[1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void FoldCountOutsideTwoToSubjects_Throws(int folds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SubjectFolds.Assign(["00", "01", "02"], folds));
    }
}
