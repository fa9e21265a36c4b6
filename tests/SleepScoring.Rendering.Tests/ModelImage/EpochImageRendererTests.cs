using System.Security.Cryptography;

using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Rendering.Tests.ModelImage;

public class EpochImageRendererTests
{
    private static readonly EpochGeometry Small = EpochImageLayout.Small.CreateGeometry(2);

    public static TheoryData<string, TraceDrawingMode, bool> Variants()
    {
        var data = new TheoryData<string, TraceDrawingMode, bool>();
        foreach (EpochImageLayout layout in EpochImageLayout.Presets)
        {
            data.Add(layout.Name, TraceDrawingMode.Envelope, false);
            data.Add(layout.Name, TraceDrawingMode.Polyline, false);
            data.Add(layout.Name, TraceDrawingMode.Polyline, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Render_SameEpoch_GivesIdenticalBytesAcrossCallsAndInstances(string layout, TraceDrawingMode mode, bool antialias)
    {
        EpochGeometry geometry = EpochImageLayout.FromName(layout).CreateGeometry(2);
        float[] epoch = TestEpochs.EegLike(2, seed: 7);
        using var first = new EpochImageRenderer(geometry, mode, antialias);
        using var second = new EpochImageRenderer(geometry, mode, antialias);
        byte[] a = new byte[first.ImageByteCount];
        byte[] b = new byte[first.ImageByteCount];
        byte[] c = new byte[first.ImageByteCount];

        first.Render(epoch, a);
        first.Render(TestEpochs.EegLike(2, seed: 8), c); // another epoch in between must leave no trace
        first.Render(epoch, c);
        second.Render(epoch, b);

        Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
        Assert.Equal(a, c);
        Assert.Contains(a, value => value != 0);
    }

    [Theory]
    [InlineData("small")]
    [InlineData("medium")]
    [InlineData("large")]
    public void Render_EnvelopeMode_LightsExactlyThePixelsOfTheDirectRasterizer(string layout)
    {
        EpochGeometry geometry = EpochImageLayout.FromName(layout).CreateGeometry(2);
        float[] epoch = TestEpochs.EegLike(2, seed: 3);
        using var skia = new EpochImageRenderer(geometry, TraceDrawingMode.Envelope);
        using var direct = new EnvelopeRasterizer(geometry);
        byte[] fromSkia = new byte[skia.ImageByteCount];
        byte[] fromDirect = new byte[skia.ImageByteCount];

        skia.Render(epoch, fromSkia);
        direct.Render(epoch, fromDirect);

        Assert.Equal(fromDirect, fromSkia);
    }

    [Fact]
    public void Render_EnvelopeConstant_LandsOnTheGeometrysRow()
    {
        using var renderer = new EpochImageRenderer(Small, TraceDrawingMode.Envelope);
        byte[] image = new byte[renderer.ImageByteCount];

        renderer.Render(TestEpochs.Constant(50f, -1000f), image);

        // +50 µV: 16 + 7.75 → row 23; −1000 µV clipped to −100 → band 1's first row, 32.
        EnvelopeRasterizerTests.AssertOnlyRowsLit(image, 300, [23, 32]);
    }

    [Fact]
    public void Render_PolylineConstant_DrawsOneRowAcrossThePlot()
    {
        using var renderer = new EpochImageRenderer(Small, TraceDrawingMode.Polyline);
        byte[] image = new byte[renderer.ImageByteCount];

        renderer.Render(TestEpochs.Constant(50f, 0f), image);

        // The line runs from sample 0's centre (x 0.05) to sample 2999's (x 299.95) at y 23.75 and 48:
        // nothing lit off rows 23 and 48, and (almost) every column lit on them.
        for (int row = 0; row < 64; row++)
        {
            int lit = Enumerable.Range(0, 300).Count(column => image[(row * 300) + column] != 0);
            if (row is 23 or 48)
            {
                Assert.InRange(lit, 299, 300);
            }
            else
            {
                Assert.Equal(0, lit);
            }
        }
    }

    [Fact]
    public void Render_AntialiasedPolyline_StaysNearTheRowAndUsesPartialCoverage()
    {
        using var renderer = new EpochImageRenderer(Small, TraceDrawingMode.Polyline, antialias: true);
        byte[] image = new byte[renderer.ImageByteCount];

        renderer.Render(TestEpochs.Constant(50f, 50f), image);

        // A 1-px line centred on y 23.75 covers rows 23 (¾) and 24 (¼); band 1 likewise 55 and 56.
        for (int i = 0; i < image.Length; i++)
        {
            int row = i / 300;
            if (image[i] != 0)
            {
                Assert.Contains(row, new[] { 23, 24, 55, 56 });
            }
        }

        Assert.True(image[(23 * 300) + 150] > image[(24 * 300) + 150]);
        Assert.True(image[(24 * 300) + 150] is > 0 and < 255);
    }

    [Fact]
    public void Render_ThreeDerivations_DrawsThreeBands()
    {
        EpochGeometry geometry = EpochImageLayout.Small.CreateGeometry(3);
        using var renderer = new EpochImageRenderer(geometry, TraceDrawingMode.Envelope);
        byte[] image = new byte[renderer.ImageByteCount];

        renderer.Render(TestEpochs.Constant(0f, -50f, 100f), image);

        // 0 µV → 16; −50 µV in band 1 → 32 + 8.25 → 40; +100 µV in band 2 → 64 + 31.5 → 95.
        Assert.Equal(300 * 96, renderer.ImageByteCount);
        EnvelopeRasterizerTests.AssertOnlyRowsLit(image, 300, [16, 40, 95]);
    }

    [Fact]
    public void Render_NonFiniteSamples_DrawWithoutThrowing()
    {
        float[] epoch = TestEpochs.Constant(0f, 0f);
        epoch[10] = float.NaN;
        epoch[20] = float.PositiveInfinity;
        epoch[3010] = float.NegativeInfinity;
        using var renderer = new EpochImageRenderer(Small, TraceDrawingMode.Polyline, antialias: true);

        renderer.Render(epoch, new byte[renderer.ImageByteCount]);
    }

    [Theory]
    [InlineData(TraceDrawingMode.Envelope, false)]
    [InlineData(TraceDrawingMode.Polyline, false)]
    [InlineData(TraceDrawingMode.Polyline, true)]
    public void Render_AfterTheFirstEpoch_AllocatesNoManagedMemory(TraceDrawingMode mode, bool antialias)
    {
        float[] epoch = TestEpochs.EegLike(2, seed: 11);
        using var renderer = new EpochImageRenderer(Small, mode, antialias);
        byte[] image = new byte[renderer.ImageByteCount];
        renderer.Render(epoch, image);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            renderer.Render(epoch, image);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void FromName_UnknownPreset_ListsTheKnownOnes()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => EpochImageLayout.FromName("huge"));

        Assert.Contains("small, medium, large", error.Message, StringComparison.Ordinal);
        Assert.Same(EpochImageLayout.Medium, EpochImageLayout.FromName("MEDIUM"));
    }
}
