using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Analysis.Tests.Conditioning;

public sealed class DataSegmentTests
{
    [Fact]
    public void FromRecordOnsets_ContiguousRecords_FormOneSegment()
    {
        DataSegment s = Assert.Single(DataSegment.FromRecordOnsets([0, 30, 60, 90], 30));
        Assert.Equal(new DataSegment(0, 120, 0, 4), s);
    }

    [Fact]
    public void FromRecordOnsets_GapInTheMiddle_SplitsAtTheGap()
    {
        // Records at 0, 30 then (after a 45-s gap) 105, 135.
        IReadOnlyList<DataSegment> segments = DataSegment.FromRecordOnsets([0, 30, 105, 135], 30);
        Assert.Equal([new DataSegment(0, 60, 0, 2), new DataSegment(105, 60, 2, 2)], segments);
    }

    [Fact]
    public void FromRecordOnsets_NoRecords_GiveNoSegment() =>
        Assert.Empty(DataSegment.FromRecordOnsets([], 30));
}
