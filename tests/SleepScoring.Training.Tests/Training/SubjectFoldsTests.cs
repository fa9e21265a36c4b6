using SleepScoring.Training.Training;

namespace SleepScoring.Training.Tests.Training;

public sealed class SubjectFoldsTests
{
    [Fact]
    public void EightSubjectsInFourFolds_EveryFourthSubjectSorted()
    {
        // Sorted 00..07; fold j = positions j, j + 4 (hand-written).
        string[] shuffled = ["05", "00", "07", "02", "01", "06", "03", "04"];
        IReadOnlyList<IReadOnlyList<string>> folds = SubjectFolds.Assign(shuffled, 4);
        Assert.Equal(4, folds.Count);
        Assert.Equal(["00", "04"], folds[0]);
        Assert.Equal(["01", "05"], folds[1]);
        Assert.Equal(["02", "06"], folds[2]);
        Assert.Equal(["03", "07"], folds[3]);
    }

    [Fact]
    public void RepeatedSubjects_CountOnce_AndUnevenFoldsDifferByOne()
    {
        IReadOnlyList<IReadOnlyList<string>> folds = SubjectFolds.Assign(["b", "a", "c", "a", "e", "d"], 2);
        Assert.Equal(["a", "c", "e"], folds[0]);
        Assert.Equal(["b", "d"], folds[1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void FoldCountOutsideTwoToSubjects_Throws(int folds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SubjectFolds.Assign(["00", "01", "02"], folds));
    }
}
