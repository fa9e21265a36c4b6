using System.Security.Cryptography;

using SkiaSharp;

using SleepScoring.Analysis;
using SleepScoring.Rendering.Clinician;
using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.Tests.Clinician;

public class ClinicianImageRendererTests
{
    // Default layout: margins left 110, top 40, right 100, bottom 34; plot 1500 × (2 × 150).
    // 50 px per second; band 0 rows 40–189 (0 µV at y 115), band 1 rows 190–339 (0 µV at y 265).
    private static readonly string[] Labels = ["Fpz-Cz", "Pz-Oz"];
    private static readonly EpochCaption Caption = new(42, new DateTime(2026, 3, 1, 23, 41, 30), SleepStage.N2);

    [Fact]
    public void RenderPng_DecodesWithTheLayoutsSize()
    {
        using var renderer = new ClinicianImageRenderer(Labels);

        using var png = new PngPixels(renderer.RenderPng(TestEpochs.EegLike(2, 1), Caption));

        // 110 + 1500 + 100 = 1710 wide; 40 + 2 × 150 + 34 = 374 high.
        Assert.Equal((1710, 374), (png.Width, png.Height));
    }

    [Fact]
    public void RenderPng_SameInput_IdenticalBytesAcrossInstances()
    {
        float[,] relevance = new float[2, 30];
        relevance[0, 4] = 0.7f;
        relevance[1, 20] = 1f;
        using var first = new ClinicianImageRenderer(Labels);
        using var second = new ClinicianImageRenderer(Labels);

        byte[] a = first.RenderPng(TestEpochs.EegLike(2, 5), Caption, relevance);
        _ = first.RenderPng(TestEpochs.EegLike(2, 6), Caption with { Stage = null });
        byte[] b = second.RenderPng(TestEpochs.EegLike(2, 5), Caption, relevance);
        byte[] c = first.RenderPng(TestEpochs.EegLike(2, 5), Caption, relevance);

        Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
        Assert.Equal(a, c);
    }

    [Fact]
    public void Overlay_FullRelevanceCell_IsRedExactlyInsideItsGridRectangle()
    {
        // 15 segments of 2 s = 100 px: cell (1, 3) spans x 410–510 and band 1's rows 190–340.
        float[,] relevance = new float[2, 15];
        relevance[1, 3] = 1f;
        using var renderer = new ClinicianImageRenderer(Labels);
        PixelRectangle cell = renderer.Geometry.SaliencyCell(1, 3, 15);
        Assert.Equal(new PixelRectangle(410, 190, 510, 340), cell);

        using var png = new PngPixels(renderer.RenderPng(TestEpochs.Constant(0f, 0f), Caption, relevance));

        // Red (224, 27, 27) at 60 % over white: 0.6·224 + 0.4·255 = 236.4, 0.6·27 + 0.4·255 = 118.2.
        var heat = new SKColor(236, 118, 118);
        Assert.True(png.IsNear(412, 220, heat), $"inside left edge: {png[412, 220]}");
        Assert.True(png.IsNear(508, 320, heat), $"inside right edge: {png[508, 320]}");
        Assert.True(png.IsNear(408, 220, SKColors.White), $"left of the cell: {png[408, 220]}");
        Assert.True(png.IsNear(512, 220, SKColors.White), $"right of the cell: {png[512, 220]}");
        Assert.True(png.IsNear(450, 180, SKColors.White), $"band 0 above the cell: {png[450, 180]}");
    }

    [Fact]
    public void Trace_ConstantAmplitude_IsDrawnOnTheGeometrysRowAndMapsBack()
    {
        using var renderer = new ClinicianImageRenderer(Labels);

        using var png = new PngPixels(renderer.RenderPng(TestEpochs.Constant(50f, 0f), Caption));

        // +50 µV: 115 + 50 · 74.5 / 100 = 152.25 (74.5 = (150 − 1) / 2 px per 100 µV) → row 152.
        // x 835 = 110 + 725 (14.5 s) is off every grid line.
        // The darkest pixel of column 835 in band 0 (rows 41–188) is on row 152, well darker than the grid.
        int darkest = Enumerable.Range(41, 148).MinBy(y => png[835, y].Red);
        Assert.Equal(152, darkest);
        Assert.True(png[835, 152].Red < 160, $"trace pixel: {png[835, 152]}");
        Assert.True(png.IsNear(835, 147, SKColors.White) && png.IsNear(835, 157, SKColors.White));
        Assert.True(renderer.Geometry.TryMapPixel(835, 152, out EpochPoint point));
        Assert.Equal(0, point.Derivation);
        Assert.Equal(14.51, point.Seconds, 6); // (835.5 − 110) / 50
        Assert.Equal(50.3, point.Microvolts, 1); // (152.5 − 115) / 0.745
    }

    [Fact]
    public void Labels_AreDrawnWithTheEmbeddedFont()
    {
        using var renderer = new ClinicianImageRenderer(Labels);

        using var png = new PngPixels(renderer.RenderPng(TestEpochs.Constant(0f, 0f), Caption));

        // "Fpz-Cz" is right-aligned at x 100 on baseline 120: without a typeface nothing would be drawn there.
        int ink = 0;
        for (int x = 40; x < 100; x++)
        {
            for (int y = 104; y < 124; y++)
            {
                ink += png[x, y].Red < 128 ? 1 : 0;
            }
        }

        Assert.True(ink > 30, $"only {ink} dark pixels where the label should be");
    }

    [Fact]
    public void RenderPng_ThreeDerivations_AddsABandAndMapsItsPixels()
    {
        using var renderer = new ClinicianImageRenderer(["Fpz-Cz", "Pz-Oz", "EOG"]);

        using var png = new PngPixels(renderer.RenderPng(TestEpochs.Constant(0f, 0f, 0f), Caption with { Stage = null }));

        // 40 + 3 × 150 + 34 = 524 high; row 400 lies in band 2 (rows 340–489).
        Assert.Equal((1710, 524), (png.Width, png.Height));
        Assert.True(renderer.Geometry.TryMapPixel(200, 400, out EpochPoint point));
        Assert.Equal(2, point.Derivation);
        Assert.Equal(1.81, point.Seconds, 6); // (200.5 − 110) / 50
    }

    [Fact]
    public void Render_WrongRelevanceShape_ThrowsNamingTheSizes()
    {
        using var renderer = new ClinicianImageRenderer(Labels);

        ArgumentException error = Assert.Throws<ArgumentException>(() => renderer.RenderPng(TestEpochs.Constant(0f, 0f), Caption, new float[3, 15]));
        Assert.Equal("relevance", error.ParamName);
        Assert.Contains("3 row(s)", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => renderer.RenderPng(TestEpochs.Constant(0f, 0f), Caption, new float[2, 0]));
        Assert.Throws<ArgumentException>(() => renderer.RenderPng(new float[10], Caption));
    }

    [Fact]
    public void Overlay_OutOfRangeAndNaNRelevance_IsClampedNotThrown()
    {
        float[,] relevance = { { float.NaN, 7f, -3f }, { float.PositiveInfinity, 0.5f, 0f } };
        using var renderer = new ClinicianImageRenderer(Labels);

        using var png = new PngPixels(renderer.RenderPng(TestEpochs.Constant(0f, 0f), Caption, relevance));

        // Segments of 10 s = 500 px: 7 → 1 (full red) in cell (0, 1) at x 610–1110; NaN → nothing at (0, 0).
        Assert.True(png.IsNear(700, 60, new SKColor(236, 118, 118)), $"{png[700, 60]}");
        Assert.True(png.IsNear(300, 60, SKColors.White), $"{png[300, 60]}");
    }
}
