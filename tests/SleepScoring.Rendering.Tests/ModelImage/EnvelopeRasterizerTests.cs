using System.Globalization;

using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.ModelImage;
using SleepScoring.Tests.Common;

namespace SleepScoring.Rendering.Tests.ModelImage;

public class EnvelopeRasterizerTests
{
    // 2 bands × 32 rows × 300 columns, ±100 µV per half band: y = stripTop + 16 + µV · 0.155.
    private static readonly EpochGeometry Small = EpochImageLayout.Small.CreateGeometry(2);

    [Fact]
    public void Render_ConstantAmplitudes_LightOnlyTheHandComputedRows()
    {
        using var rasterizer = new EnvelopeRasterizer(Small);
        byte[] image = new byte[rasterizer.ImageByteCount];

        rasterizer.Render(TestEpochs.Constant(50f, 0f), image);

        // +50 µV in band 0: 16 + 7.75 = 23.75 → row 23; 0 µV in band 1: 32 + 16 → row 48.
        AssertOnlyRowsLit(image, 300, [23, 48]);
    }

    [Fact]
    public void Render_AmplitudesBeyondScale_AreClippedToTheBandEdges()
    {
        using var rasterizer = new EnvelopeRasterizer(Small);
        byte[] image = new byte[rasterizer.ImageByteCount];

        rasterizer.Render(TestEpochs.Constant(500f, -500f), image);

        // +500 clipped to +100 → last row of band 0 (31); −500 → first row of band 1 (32).
        AssertOnlyRowsLit(image, 300, [31, 32]);
    }

    [Fact]
    public void Render_Step_JoinsTheColumnsWithAVerticalRun()
    {
        using var rasterizer = new EnvelopeRasterizer(Small);
        byte[] image = new byte[rasterizer.ImageByteCount];
        float[] epoch = TestEpochs.Constant(0f, 0f);
        epoch.AsSpan(1500, 1500).Fill(100f); // band 0 steps from 0 to +100 µV at 15 s = column 150

        rasterizer.Render(epoch, image);

        // Columns 0–149 at row 16 (0 µV); column 150 runs from row 16 to row 31 (+100 µV);
        // columns 151–299 at row 31.
        for (int column = 0; column < 300; column++)
        {
            for (int row = 0; row < 32; row++)
            {
                bool lit = column < 150 ? row == 16 : column == 150 ? row is >= 16 and <= 31 : row == 31;
                Assert.True(lit == (image[(row * 300) + column] == 255), $"column {column}, row {row}");
            }
        }
    }

    [Fact]
    public void Render_MoreColumnsThanSamples_RepeatsTheLastSample()
    {
        // 10 samples over 20 columns: each sample covers two columns.
        var geometry = new EpochGeometry(1, 20, 8, samplesPerEpoch: 10);
        using var rasterizer = new EnvelopeRasterizer(geometry);
        byte[] image = new byte[rasterizer.ImageByteCount];

        rasterizer.Render(new float[10], image);

        // 0 µV: row 4 of 8, every column.
        AssertOnlyRowsLit(image, 20, [4]);
    }

    [Fact]
    public void Render_AfterTheFirstEpoch_AllocatesNoManagedMemory()
    {
        float[] epoch = TestEpochs.EegLike(2, seed: 12);
        using var rasterizer = new EnvelopeRasterizer(Small);
        byte[] image = new byte[rasterizer.ImageByteCount];
        rasterizer.Render(epoch, image);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            rasterizer.Render(epoch, image);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [SkippableFact]
    public void Render_RealN3Epoch_SpansTheRowsOfItsExtremes()
    {
        // A real 30-s N3 epoch at 100 Hz (YASA notebooks): 3000 values in µV, min −59.61, max +56.51.
        string path = SharedData.Require("waveforms/yasa-N3-30s-100Hz.txt");
        float[] epoch = new float[6000];
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(3000, lines.Length);
        for (int i = 0; i < 3000; i++)
        {
            epoch[i] = float.Parse(lines[i], CultureInfo.InvariantCulture);
        }

        using var rasterizer = new EnvelopeRasterizer(Small);
        byte[] image = new byte[rasterizer.ImageByteCount];
        rasterizer.Render(epoch, image);

        // Rows 16 + µV · 0.155: ⌊16 − 9.24⌋ = 6 for −59.61 µV, ⌊16 + 8.76⌋ = 24 for +56.51 µV; nothing clipped.
        int[] litRows = [.. Enumerable.Range(0, 32).Where(row => image.AsSpan(row * 300, 300).ContainsAnyExcept((byte)0))];
        Assert.Equal(6, litRows.Min());
        Assert.Equal(24, litRows.Max());
        Assert.Equal(litRows, Enumerable.Range(6, 19)); // a connected trace leaves no empty row between
        AssertOnlyRowsLit(image[(32 * 300)..], 300, [16]); // derivation 1 flat at 0 µV
    }

    [Fact]
    public void Render_WrongSampleCount_ThrowsNamingTheCounts()
    {
        using var rasterizer = new EnvelopeRasterizer(Small);

        ArgumentException error = Assert.Throws<ArgumentException>(() => rasterizer.Render(new float[5999], new byte[rasterizer.ImageByteCount]));
        Assert.Contains("5999", error.Message, StringComparison.Ordinal);
        Assert.Contains("6000", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => rasterizer.Render(new float[6000], new byte[100]));
    }

    internal static void AssertOnlyRowsLit(byte[] image, int width, int[] litRows)
    {
        for (int row = 0; row < image.Length / width; row++)
        {
            byte expected = litRows.Contains(row) ? (byte)255 : (byte)0;
            for (int column = 0; column < width; column++)
            {
                Assert.True(image[(row * width) + column] == expected, $"row {row}, column {column}: {image[(row * width) + column]}, expected {expected}");
            }
        }
    }
}
