using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.Tests.Geometry;

public class EpochGeometryTests
{
    // Two 32-row bands, 300 columns, ±100 µV per half band, 3000 samples over 30 s.
    private static readonly EpochGeometry Model = new(2, 300, 32);

    [Fact]
    public void TimeToX_MiddleOfEpoch_IsHalfTheWidth()
    {
        // 15 s of 30 s is half the plot: 300 / 2 = 150.
        Assert.Equal(150f, Model.TimeToX(15.0));
        Assert.Equal(0f, Model.TimeToX(0.0));
        Assert.Equal(300f, Model.TimeToX(30.0));
    }

    [Fact]
    public void TimeToX_WithMargins_OffsetsByLeft()
    {
        var clinician = new EpochGeometry(2, 1500, 150, left: 110, top: 36);

        // 1500 px over 30 s = 50 px/s; 7 s → 350 px after the 110-px margin.
        Assert.Equal(460f, clinician.TimeToX(7.0));
    }

    [Theory]
    [InlineData(0, 0, 0, 0.05)] // column 0 centre 0.5 px → 0.5 / 300 · 30 s = 0.05 s
    [InlineData(150, 10, 0, 15.05)] // 150.5 px → 15.05 s, row 10 in band 0
    [InlineData(299, 31, 0, 29.95)] // last column, last row of band 0
    [InlineData(0, 32, 1, 0.05)] // first row of band 1
    [InlineData(42, 63, 1, 4.25)] // 42.5 / 10 px per s = 4.25 s, last row of band 1
    public void TryMapPixel_KnownPixels_GiveDerivationAndSeconds(int column, int row, int derivation, double seconds)
    {
        Assert.True(Model.TryMapPixel(column, row, out EpochPoint point));
        Assert.Equal(derivation, point.Derivation);
        Assert.Equal(seconds, point.Seconds, 6);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(300, 0)]
    [InlineData(0, 64)]
    [InlineData(0, -1)]
    public void TryMapPixel_OutsidePlot_IsFalse(int column, int row) => Assert.False(Model.TryMapPixel(column, row, out _));

    [Fact]
    public void TryMapPixel_ClinicianMargins_AreOutsideAndPlotStartsAfterThem()
    {
        var clinician = new EpochGeometry(2, 1500, 150, left: 110, top: 36);

        Assert.False(clinician.TryMapPixel(109, 100, out _));
        Assert.False(clinician.TryMapPixel(500, 35, out _));
        Assert.True(clinician.TryMapPixel(110 + 750, 36 + 150, out EpochPoint point));
        // Column 750 of the plot, centre 750.5 px / 50 px per s = 15.01 s; row 150 is band 1's first.
        Assert.Equal(1, point.Derivation);
        Assert.Equal(15.01, point.Seconds, 6);
    }

    [Theory]
    // y = stripTop + 16 + µV · 15.5 / 100 (15.5 = (32 − 1) / 2 px per 100 µV), row = ⌊y⌋.
    [InlineData(0, 0f, 16)]
    [InlineData(0, 50f, 23)] // 16 + 7.75 = 23.75
    [InlineData(0, -50f, 8)] // 16 − 7.75 = 8.25
    [InlineData(0, 100f, 31)] // 31.5: centre of the band's last row
    [InlineData(0, -100f, 0)] // 0.5: centre of the band's first row
    [InlineData(0, 1000f, 31)] // clipped
    [InlineData(0, -1000f, 0)] // clipped
    [InlineData(1, 50f, 55)] // band 1 starts at 32: 32 + 23.75
    [InlineData(1, float.NaN, 48)] // NaN drawn as 0 µV: 32 + 16
    public void MicrovoltsToRow_KnownAmplitudes_LandOnHandComputedRows(int derivation, float microvolts, int row) =>
        Assert.Equal(row, Model.MicrovoltsToRow(derivation, microvolts));

    [Fact]
    public void TryMapPoint_InvertsMicrovoltsToY()
    {
        float y = Model.MicrovoltsToY(1, -37.5f);

        Assert.True(Model.TryMapPoint(12.25f, y, out EpochPoint point));
        Assert.Equal(1, point.Derivation);
        Assert.Equal(1.225, point.Seconds, 5); // 12.25 px / 10 px per s
        Assert.Equal(-37.5f, point.Microvolts, 3);
    }

    [Fact]
    public void ColumnOfSample_TenSamplesPerColumnAt300Columns()
    {
        // 3000 samples over 300 columns: samples 0–9 → column 0, 10 → 1, 2999 → 299.
        Assert.Equal(0, Model.ColumnOfSample(9));
        Assert.Equal(1, Model.ColumnOfSample(10));
        Assert.Equal(299, Model.ColumnOfSample(2999));
    }

    [Fact]
    public void SaliencyCell_TwoSecondSegments_CoverTwentyColumnsOfTheBand()
    {
        // 15 segments of 2 s; 10 px/s → 20 px each. Segment 3 = 6–8 s = x 60–80; band 1 = rows 32–64.
        PixelRectangle cell = Model.SaliencyCell(1, 3, 15);

        Assert.Equal(new PixelRectangle(60f, 32f, 80f, 64f), cell);
    }

    [Fact]
    public void SaliencyCells_TileThePlotWithoutGapsOrOverlap()
    {
        var geometry = new EpochGeometry(3, 480, 48);
        int segments = 30;
        for (int d = 0; d < 3; d++)
        {
            for (int s = 0; s < segments; s++)
            {
                PixelRectangle cell = geometry.SaliencyCell(d, s, segments);
                float cx = (cell.Left + cell.Right) / 2f;
                float cy = (cell.Top + cell.Bottom) / 2f;
                Assert.True(geometry.TryFindSaliencyCell(cx, cy, segments, out int foundD, out int foundS));
                Assert.Equal((d, s), (foundD, foundS));
                if (s > 0)
                {
                    Assert.Equal(geometry.SaliencyCell(d, s - 1, segments).Right, cell.Left);
                }
            }
        }

        Assert.Equal(480f, geometry.SaliencyCell(2, segments - 1, segments).Right);
    }

    [Fact]
    public void Constructor_NonPositiveSizes_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochGeometry(0, 300, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochGeometry(2, 300, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochGeometry(2, 300, 32, microvoltsPerHalfStrip: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochGeometry(2, 300, 32, epochSeconds: 0));
    }
}
