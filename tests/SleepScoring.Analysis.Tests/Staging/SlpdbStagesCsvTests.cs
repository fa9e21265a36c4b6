using SleepScoring.Analysis.Staging;
using SleepScoring.Tests.Common;

namespace SleepScoring.Analysis.Tests.Staging;

public class SlpdbStagesCsvTests
{
    [SkippableFact]
    public void Read_RealTable_HasEighteenRecordsAndEveryRow()
    {
        string path = SharedData.Require("label-only/slpdb-stages.csv");
        using StreamReader reader = File.OpenText(path);

        IReadOnlyDictionary<string, Hypnogram> records = SlpdbStagesCsv.Read(reader);

        // Data README: 18 records, 10,197 scored epochs. Per stage, `cut -d, -f3 slpdb-stages.csv | sort | uniq -c`:
        // 3115 W, 1815 N1, 3887 N2, 664 N3, 700 R, 16 MT.
        Assert.Equal(18, records.Count);
        int Count(SleepStage s) => records.Values.Sum(h => h.CountOf(s));
        Assert.Equal(3115, Count(SleepStage.W));
        Assert.Equal(1815, Count(SleepStage.N1));
        Assert.Equal(3887, Count(SleepStage.N2));
        Assert.Equal(664, Count(SleepStage.N3));
        Assert.Equal(700, Count(SleepStage.R));

        // slp14's first row is epoch 6 (awk over the file: first epoch 6, last 719, 714 rows), so it has
        // 720 epochs of which 6 leading + 1 MT are Unscored: 10,197 rows + 6 + 26 + 2 + 22 + 20 missing leading epochs.
        Assert.Equal(720, records["slp14"].Count);
        Assert.Equal(10_197 + 6 + 26 + 2 + 22 + 20, records.Values.Sum(h => h.Count));
        Assert.Equal(16 + 6 + 26 + 2 + 22 + 20, Count(SleepStage.Unscored));
    }

    [Fact]
    public void Read_RepeatedEpoch_NamesLineAndRecord()
    {
        var error = Assert.Throws<HypnogramFormatException>(() => SlpdbStagesCsv.Read(new StringReader("record,epoch,stage\nslp01a,0,W\nslp01a,0,N1\n")));

        Assert.Equal(3, error.Line);
        Assert.Contains("slp01a", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("record,epoch,stage\nslp01a,-1,W\n", "epoch")]
    [InlineData("record,epoch,stage\nslp01a,0,X\n", "stage")]
    [InlineData("rec,ep,st\n", "header")]
    [InlineData("record,epoch,stage\nslp01a,0\n", "row")]
    public void Read_BadInput_NamesTheField(string text, string field)
    {
        var error = Assert.Throws<HypnogramFormatException>(() => SlpdbStagesCsv.Read(new StringReader(text)));

        Assert.Equal(field, error.Field);
    }
}
