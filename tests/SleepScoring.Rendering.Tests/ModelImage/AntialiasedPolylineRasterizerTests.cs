using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Rendering.Tests.ModelImage;

public class AntialiasedPolylineRasterizerTests
{
    // 2 bands × 32 rows × 300 columns; y = stripTop + 16 + µV · 0.155; pixel r is centred on r + 0.5.
    private static readonly EpochGeometry Small = EpochImageLayout.Small.CreateGeometry(2);

    [Fact]
    public void Render_ConstantLine_SplitsIntensityBetweenTheTwoNearestRows()
    {
        using var rasterizer = new AntialiasedPolylineRasterizer(Small);
        byte[] image = new byte[rasterizer.ImageByteCount];

        rasterizer.Render(TestEpochs.Constant(50f, 0f), image);

        // +50 µV: y 23.75 lies 0.25 below row 23's centre (23.5) and 0.75 above row 24's (24.5):
        // row 23 gets 0.75 · 255 = 191.25 → 191, row 24 gets 0.25 · 255 = 63.75 → 64.
        // 0 µV in band 1: y 48 is halfway between rows 47 and 48: 127.5 → 128 each.
        for (int column = 0; column < 300; column++)
        {
            for (int row = 0; row < 64; row++)
            {
                int expected = row switch { 23 => 191, 24 => 64, 47 or 48 => 128, _ => 0 };
                Assert.True(image[(row * 300) + column] == expected, $"column {column}, row {row}: {image[(row * 300) + column]}, expected {expected}");
            }
        }
    }

    [Fact]
    public void Render_ClippedLine_SitsOnTheEdgeRowAtFullIntensity()
    {
        using var rasterizer = new AntialiasedPolylineRasterizer(Small);
        byte[] image = new byte[rasterizer.ImageByteCount];

        rasterizer.Render(TestEpochs.Constant(500f, -500f), image);

        // Clipped to the centres of row 31 (band 0's last) and row 32 (band 1's first): 255 there, nothing else.
        EnvelopeRasterizerTests.AssertOnlyRowsLit(image, 300, [31, 32]);
    }

    [Fact]
    public void Render_Step_IsASteepRunSplitBetweenTwoColumns()
    {
        using var rasterizer = new AntialiasedPolylineRasterizer(Small);
        byte[] image = new byte[rasterizer.ImageByteCount];
        float[] epoch = TestEpochs.Constant(0f, 0f);
        epoch.AsSpan(1500, 1500).Fill(100f);

        rasterizer.Render(epoch, image);

        // Samples 1499 and 1500 sit at x 149.95 and 150.05, i.e. 149.45 and 149.55 in pixel-centre
        // coordinates; the jump runs from (149.45, 15.5) to (149.55, 31). Row centre r is crossed at
        // x = 149.45 + (r − 15.5) · 0.1 / 15.5, split between columns 149 and 150:
        // r = 16 → x 149.4532: column 150 gets 0.4532 · 255 = 115.6 → 116, column 149 139.4 → 139;
        // r = 30 → x 149.5435: column 150 gets 138.6 → 139, column 149 116.4 → 116.
        Assert.Equal((139, 116), (image[(16 * 300) + 149], image[(16 * 300) + 150]));
        Assert.Equal((116, 139), (image[(30 * 300) + 149], image[(30 * 300) + 150]));
        for (int row = 16; row <= 30; row++)
        {
            int left = image[(row * 300) + 149];
            int right = image[(row * 300) + 150];
            Assert.InRange(left + right, 254, 256);
            Assert.True(row == 16 || left <= image[((row - 1) * 300) + 149], "the run drifts right as it falls");
        }
    }

    [Fact]
    public void Render_EegLikeEpoch_LightsEveryColumnOfEveryBandAndIsDeterministic()
    {
        float[] epoch = TestEpochs.EegLike(2, seed: 4);
        using var first = new AntialiasedPolylineRasterizer(Small);
        using var second = new AntialiasedPolylineRasterizer(Small);
        byte[] a = new byte[first.ImageByteCount];
        byte[] b = new byte[first.ImageByteCount];

        first.Render(epoch, a);
        second.Render(epoch, b);

        Assert.Equal(a, b);
        for (int band = 0; band < 2; band++)
        {
            for (int column = 0; column < 300; column++)
            {
                bool lit = Enumerable.Range(band * 32, 32).Any(row => a[(row * 300) + column] != 0);
                Assert.True(lit, $"band {band}, column {column} is empty: the polyline is broken");
            }
        }
    }

    [Fact]
    public void Render_AfterTheFirstEpoch_AllocatesNoManagedMemory()
    {
        float[] epoch = TestEpochs.EegLike(2, seed: 13);
        using var rasterizer = new AntialiasedPolylineRasterizer(Small);
        byte[] image = new byte[rasterizer.ImageByteCount];
        rasterizer.Render(epoch, image);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            rasterizer.Render(epoch, image);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
