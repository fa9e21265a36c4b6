using System.Security.Cryptography;

using SkiaSharp;

using SleepScoring.Analysis;
using SleepScoring.Rendering.Hypnogram;

namespace SleepScoring.Rendering.Tests.Hypnogram;

public class HypnogramPlotRendererTests
{
    private static readonly DateTime Start = new(2026, 3, 1, 22, 47, 30);

    // 50 epochs: 0–9 W, 10–19 N2, 20–29 unscored, 30–39 N3, 40–49 R.
    private static readonly SleepStage[] Night = [
        .. Enumerable.Repeat(SleepStage.W, 10), .. Enumerable.Repeat(SleepStage.N2, 10),
        .. Enumerable.Repeat(SleepStage.Unscored, 10), .. Enumerable.Repeat(SleepStage.N3, 10),
        .. Enumerable.Repeat(SleepStage.R, 10)];

    // Width 1400: plot from x 64 to 1376 = 1312 px, 26.24 px per epoch; centre of epoch i = 64 + (i + 0.5) · 26.24.
    private static int Centre(int epoch) => (int)(64 + ((epoch + 0.5) * 26.24));

    [Fact]
    public void StageY_RowsInClinicalOrder()
    {
        HypnogramPlotLayout layout = new HypnogramPlotRenderer().LayoutFor(new HypnogramPlotInput(Night, TimeSpan.FromSeconds(30), Start));

        // Title 26 px, then rows of 28 px centred at 26 + (row + 0.5) · 28: W, R, N1, N2, N3.
        Assert.Equal(40f, layout.StageY(0, SleepStage.W));
        Assert.Equal(68f, layout.StageY(0, SleepStage.R));
        Assert.Equal(96f, layout.StageY(0, SleepStage.N1));
        Assert.Equal(124f, layout.StageY(0, SleepStage.N2));
        Assert.Equal(152f, layout.StageY(0, SleepStage.N3));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.StageY(0, SleepStage.Unscored));
    }

    [Fact]
    public void RenderPng_DrawsEachEpochOnItsStageRowAndUnscoredAsAGap()
    {
        using var png = new PngPixels(new HypnogramPlotRenderer().RenderPng(new HypnogramPlotInput(Night, TimeSpan.FromSeconds(30), Start)));

        // Height: 26 title + 140 panel + 44 axis = 210.
        Assert.Equal((1400, 210), (png.Width, png.Height));
        SKColor line = HypnogramPlotRenderer.LineColor;
        (int Epoch, int Y)[] expected = [(5, 40), (15, 124), (35, 152), (45, 68)];
        foreach ((int epoch, int y) in expected)
        {
            Assert.True(png.IsNear(Centre(epoch), y, line), $"epoch {epoch} at y {y}: {png[Centre(epoch), y]}");
            foreach (int other in new[] { 40, 68, 96, 124, 152 }.Where(o => o != y))
            {
                Assert.False(png.IsNear(Centre(epoch), other, line, 40), $"epoch {epoch} also drawn at y {other}");
            }
        }

        for (int y = 26; y < 166; y++)
        {
            Assert.True(png[Centre(25), y].Red > 200, $"unscored epoch 25 drawn at y {y}");
        }
    }

    [Fact]
    public void RenderPng_WithCorrectionsAndDensity_StacksThePanels()
    {
        SleepStage[] corrected = [.. Night];
        corrected[15] = SleepStage.N1;
        float[][] probabilities = [.. Night.Select(s => OneHot(s == SleepStage.Unscored ? SleepStage.W : s))];
        var input = new HypnogramPlotInput(Night, TimeSpan.FromSeconds(30), Start) { Corrections = corrected, Probabilities = probabilities };

        using var png = new PngPixels(new HypnogramPlotRenderer().RenderPng(input));

        // Two panels (26 + 140 + 12 each), density (26 + 110 + 12), axis 44, minus the last gap 12: 536.
        Assert.Equal(536, png.Height);

        // Corrections panel starts at 26 + 140 + 12 + 26 = 204; N1 row at 204 + 2.5 · 28 = 274.
        Assert.True(png.IsNear(Centre(15), 274, HypnogramPlotRenderer.ChangedColor), $"{png[Centre(15), 274]}");
        Assert.True(png.IsNear(Centre(14), 204 + 98, HypnogramPlotRenderer.LineColor), "unchanged N2 epoch in black");

        // Density panel 382–492: one-hot columns are a single stage colour over the full height.
        Assert.True(png.IsNear(Centre(5), 437, StagePalette.Color(SleepStage.W), 0));
        Assert.True(png.IsNear(Centre(35), 383, StagePalette.Color(SleepStage.N3), 0));
        Assert.True(png.IsNear(Centre(45), 490, StagePalette.Color(SleepStage.R), 0));
    }

    [Fact]
    public void RenderPng_NothingScored_DrawsOnlyTheFrame()
    {
        var input = new HypnogramPlotInput([SleepStage.Unscored, SleepStage.Artefact, SleepStage.Unscored], TimeSpan.FromSeconds(30), Start);

        using var png = new PngPixels(new HypnogramPlotRenderer().RenderPng(input));

        // 3 epochs of 437.33 px; no stage line anywhere in the panel's plot area (x 64–1376, y 26–166).
        for (int x = 70; x < 1370; x += 7)
        {
            for (int y = 27; y < 166; y++)
            {
                Assert.False(png.IsNear(x, y, HypnogramPlotRenderer.LineColor, 40), $"line at ({x}, {y})");
            }
        }
    }

    [Fact]
    public void RenderPng_SameInput_SameBytes()
    {
        var input = new HypnogramPlotInput(Night, TimeSpan.FromSeconds(30), Start) { Probabilities = [.. Night.Select(_ => new float[] { 0.1f, 0.2f, 0.3f, 0.2f, 0.2f })] };

        Assert.Equal(SHA256.HashData(new HypnogramPlotRenderer().RenderPng(input)), SHA256.HashData(new HypnogramPlotRenderer().RenderPng(input)));
    }

    [Fact]
    public void RenderPng_InconsistentInput_ThrowsNamingTheField()
    {
        var renderer = new HypnogramPlotRenderer();
        var night = new HypnogramPlotInput(Night, TimeSpan.FromSeconds(30), Start);

        Assert.Contains("Corrections has 3", Assert.Throws<ArgumentException>(() => renderer.RenderPng(night with { Corrections = new SleepStage[3] })).Message, StringComparison.Ordinal);
        float[][] shortRow = [.. Night.Select(_ => new float[5])];
        shortRow[7] = new float[4];
        Assert.Contains("Probabilities[7]", Assert.Throws<ArgumentException>(() => renderer.RenderPng(night with { Probabilities = shortRow })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => renderer.RenderPng(night with { Stages = [] }));
        Assert.Throws<ArgumentException>(() => renderer.RenderPng(night with { EpochLength = TimeSpan.Zero }));
        Assert.Contains("EpochLength", Assert.Throws<ArgumentException>(() => renderer.RenderPng(night with { EpochLength = TimeSpan.MaxValue })).Message, StringComparison.Ordinal);
        Assert.Contains("Start", Assert.Throws<ArgumentException>(() => renderer.RenderPng(night with { Start = DateTime.MaxValue.AddMinutes(-10) })).Message, StringComparison.Ordinal);
        Assert.Contains("86400", Assert.Throws<ArgumentException>(() => renderer.RenderPng(night with { Stages = new SleepStage[86_401] })).Message, StringComparison.Ordinal);
    }

    private static float[] OneHot(SleepStage stage)
    {
        float[] row = new float[5];
        row[(int)stage] = 1f;
        return row;
    }
}
