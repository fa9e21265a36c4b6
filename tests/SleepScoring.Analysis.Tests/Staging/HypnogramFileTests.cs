using System.Text;

using SleepScoring.Analysis.Staging;
using SleepScoring.Tests.Common;

namespace SleepScoring.Analysis.Tests.Staging;

public class HypnogramFileTests
{
    [SkippableTheory]
    // Epoch counts: HMC 854 (data README); SC4001EC 2880 (last TAL ends at 86,400 s); the YASA
    // files 720 and 98 lines (wc -l, comments excluded).
    [InlineData("label-only/hmc-SN001-scoring.edf", HypnogramFormat.EdfPlus, 854)]
    [InlineData("sleep-edf-features/hypnograms/SC4001EC-Hypnogram.edf", HypnogramFormat.EdfPlus, 2880)]
    [InlineData("label-only/yasa-full-6hrs-hypno-30s.txt", HypnogramFormat.StageList, 720)]
    [InlineData("label-only/yasa-sub-02-hypno-30s.txt", HypnogramFormat.StageList, 98)]
    public void Read_RealFiles_AreRecognisedByContent(string relativePath, HypnogramFormat format, int epochs)
    {
        using FileStream stream = File.OpenRead(SharedData.Require(relativePath));

        Assert.Equal(format, HypnogramFile.Detect(stream));
        Assert.Equal(epochs, HypnogramFile.Read(stream).Hypnogram.Count);
    }

    [Theory]
    [InlineData("onset,duration,stage\n0,30,W\n", HypnogramFormat.Csv)]
    [InlineData("\uFEFFOnset;Duration;Annotation\n0;30;Sleep stage W\n", HypnogramFormat.Csv)]
    [InlineData("# comment\n\nrecord,epoch,stage\nslp01a,0,W\n", HypnogramFormat.SlpdbTable)]
    [InlineData("W\nN2\n", HypnogramFormat.StageList)]
    public void Detect_TextFormats(string text, HypnogramFormat expected)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        Assert.Equal(expected, HypnogramFile.Detect(stream));
        Assert.Equal(SleepStage.W, HypnogramFile.Read(stream).Hypnogram[0]);
    }

    [SkippableFact]
    public void Read_SlpdbTableWithManyRecords_AsksToChooseOne()
    {
        using FileStream stream = File.OpenRead(SharedData.Require("label-only/slpdb-stages.csv"));

        var error = Assert.Throws<HypnogramFormatException>(() => HypnogramFile.Read(stream));

        Assert.Contains("18 records", error.Message, StringComparison.Ordinal);
    }
}
