using SleepScoring.Analysis.Staging;

namespace SleepScoring.Analysis.Tests.Staging;

public class HypnogramCsvTests
{
    [Fact]
    public void Write_OneRowPerEpoch_InTheLayoutEdfBrowserAndYasaRead()
    {
        var hypnogram = new Hypnogram([SleepStage.W, SleepStage.N3, SleepStage.Unscored]);
        using var writer = new StringWriter();

        HypnogramCsv.Write(hypnogram, writer);

        Assert.Equal("onset,duration,stage\n0,30,W\n30,30,N3\n60,30,Uns\n", writer.ToString());
    }

    [Fact]
    public void Read_WhatWriteWrote_GivesTheSameStages()
    {
        var hypnogram = new Hypnogram([SleepStage.W, SleepStage.N1, SleepStage.N2, SleepStage.N3, SleepStage.R, SleepStage.Unscored, SleepStage.Artefact, SleepStage.N2]);
        using var writer = new StringWriter();
        HypnogramCsv.Write(hypnogram, writer);

        AnnotatedHypnogram read = HypnogramCsv.Read(new StringReader(writer.ToString()));

        Assert.Equal(hypnogram.Stages, read.Hypnogram.Stages);
        Assert.Empty(read.Warnings);
    }

    [Fact]
    public void Read_EdfBrowserExport_WithRunsAndLights()
    {
        // EDFbrowser's annotation export header; runs, a lights-off event and a semicolon would also do.
        const string text = "Onset,Duration,Annotation\n+0.0000000,60.000,Sleep stage W\n+45.0000000,,Lights off\n+60.0000000,90.000,Sleep stage N2\n";

        AnnotatedHypnogram read = HypnogramCsv.Read(new StringReader(text));

        Assert.Equal([SleepStage.W, SleepStage.W, SleepStage.N2, SleepStage.N2, SleepStage.N2], read.Hypnogram.Stages);
        Assert.Equal(45, read.LightsOffSeconds);
    }

    [Fact]
    public void Read_SemicolonSeparated_IsDetectedFromTheHeader()
    {
        AnnotatedHypnogram read = HypnogramCsv.Read(new StringReader("onset;duration;stage\n0;30;R\n"));

        Assert.Equal([SleepStage.R], read.Hypnogram.Stages);
    }

    [Fact]
    public void Read_BadOnset_NamesLineFieldAndValue()
    {
        var error = Assert.Throws<HypnogramFormatException>(() => HypnogramCsv.Read(new StringReader("onset,duration,stage\n0,30,W\nthirty,30,W\n")));

        Assert.Equal(3, error.Line);
        Assert.Equal("onset", error.Field);
        Assert.Equal("thirty", error.Value);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownStageInStageColumn_IsAnError()
    {
        var error = Assert.Throws<HypnogramFormatException>(() => HypnogramCsv.Read(new StringReader("onset,duration,stage\n0,30,W\n30,30,N7\n")));

        Assert.Equal("N7", error.Value);
    }

    [Fact]
    public void Read_HeaderWithoutStageColumn_NamesTheHeader()
    {
        var error = Assert.Throws<HypnogramFormatException>(() => HypnogramCsv.Read(new StringReader("time,label\n0,W\n")));

        Assert.Equal("header", error.Field);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Read_OverlongLine_IsRefused()
    {
        string text = "onset,duration,stage\n" + new string('1', 5000) + ",30,W\n";

        var error = Assert.Throws<HypnogramFormatException>(() => HypnogramCsv.Read(new StringReader(text)));

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Write_WithProbabilities_AddsFiveColumns_AndReadsThemBack()
    {
        var hypnogram = new Hypnogram([SleepStage.W, SleepStage.R], probabilities: [[0.75f, 0.25f, 0, 0, 0], [0, 0, 0.5f, 0, 0.5f]]);
        using var writer = new StringWriter();

        HypnogramCsv.Write(hypnogram, writer);
        Hypnogram read = HypnogramCsv.Read(new StringReader(writer.ToString())).Hypnogram;

        Assert.Equal("onset,duration,stage,p_W,p_N1,p_N2,p_N3,p_R\n0,30,W,0.75,0.25,0,0,0\n30,30,R,0,0,0.5,0,0.5\n", writer.ToString());
        Assert.Equal([0, 0, 0.5f, 0, 0.5f], read.ProbabilitiesAt(1).ToArray());
    }

    [Fact]
    public void Read_ProbabilitiesWithRunRows_AreRefused()
    {
        const string text = "onset,duration,stage,p_W,p_N1,p_N2,p_N3,p_R\n0,60,W,1,0,0,0,0\n";

        var error = Assert.Throws<HypnogramFormatException>(() => HypnogramCsv.Read(new StringReader(text)));

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Read_ProbabilityOutOfRange_NamesTheColumn()
    {
        const string text = "onset,duration,stage,p_W,p_N1,p_N2,p_N3,p_R\n0,30,W,1.5,0,0,0,0\n";

        var error = Assert.Throws<HypnogramFormatException>(() => HypnogramCsv.Read(new StringReader(text)));

        Assert.Equal(("p_W", "1.5"), (error.Field, error.Value));
    }
}
