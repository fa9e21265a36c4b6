using SleepScoring.Analysis.Staging;
using SleepScoring.Tests.Common;

namespace SleepScoring.Analysis.Tests.Staging;

public class StageListTextTests
{
    [SkippableFact]
    public void Read_YasaIntegerFile_CountsMatchTheRawFile()
    {
        string path = SharedData.Require("label-only/yasa-full-6hrs-hypno-30s.txt");
        using StreamReader reader = File.OpenText(path);

        Hypnogram hypnogram = StageListText.Read(reader);

        // `grep -v '#' yasa-full-6hrs-hypno-30s.txt | sort | uniq -c`: 43 0, 22 1, 318 2, 182 3, 155 4 (720 lines).
        Assert.Equal(720, hypnogram.Count);
        Assert.Equal(43, hypnogram.CountOf(SleepStage.W));
        Assert.Equal(22, hypnogram.CountOf(SleepStage.N1));
        Assert.Equal(318, hypnogram.CountOf(SleepStage.N2));
        Assert.Equal(182, hypnogram.CountOf(SleepStage.N3));
        Assert.Equal(155, hypnogram.CountOf(SleepStage.R));
    }

    [SkippableFact]
    public void Read_YasaStringFile_CountsMatchTheRawFile()
    {
        string path = SharedData.Require("label-only/yasa-sub-02-hypno-30s.txt");
        using StreamReader reader = File.OpenText(path);

        Hypnogram hypnogram = StageListText.Read(reader);

        // `sort yasa-sub-02-hypno-30s.txt | uniq -c`: 36 W, 9 N1, 31 N2, 22 N3 (98 lines, no REM).
        Assert.Equal(98, hypnogram.Count);
        Assert.Equal(36, hypnogram.CountOf(SleepStage.W));
        Assert.Equal(9, hypnogram.CountOf(SleepStage.N1));
        Assert.Equal(31, hypnogram.CountOf(SleepStage.N2));
        Assert.Equal(22, hypnogram.CountOf(SleepStage.N3));
        Assert.Equal(0, hypnogram.CountOf(SleepStage.R));
    }

    [Theory]
    [InlineData(StageListEncoding.Labels, "W\nN1\nN2\nN3\nR\nUns\nArt\n")]
    [InlineData(StageListEncoding.YasaIntegers, "0\n1\n2\n3\n4\n-2\n-1\n")]
    public void Write_ThenRead_RoundTrips(StageListEncoding encoding, string expected)
    {
        var hypnogram = new Hypnogram([SleepStage.W, SleepStage.N1, SleepStage.N2, SleepStage.N3, SleepStage.R, SleepStage.Unscored, SleepStage.Artefact]);
        using var writer = new StringWriter();

        StageListText.Write(hypnogram, writer, encoding);

        Assert.Equal(expected, writer.ToString());
        Assert.Equal(hypnogram.Stages, StageListText.Read(new StringReader(writer.ToString())).Stages);
    }

    [Fact]
    public void Read_BadLine_NamesItsNumber()
    {
        var error = Assert.Throws<HypnogramFormatException>(() => StageListText.Read(new StringReader("# header\nW\r\nN2\n7\n")));

        Assert.Equal(4, error.Line);
        Assert.Equal("7", error.Value);
    }

    [Fact]
    public void Read_OnlyComments_IsRefused() =>
        Assert.Throws<HypnogramFormatException>(() => StageListText.Read(new StringReader("# nothing\n\n")));
}
