using SleepScoring.Analysis.Signals;
using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Sensing;

public sealed class FilteredSegmentsTests
{
    [Theory]
    [InlineData("lp:20")]
    [InlineData("lp:15")]
    [InlineData("0.5-25")]
    [InlineData("hp:0.5")]
    public void Pieces_read_as_the_whole_night_filtered_bit_for_bit(string spec)
    {
        // 3 h at 100 Hz of slow waves, spindles and noise (tens of µV), with flat stretches of small values.
        const int length = 3 * 3600 * 100;
        var random = new Random(15);
        float[] night = [.. Enumerable.Range(0, length).Select(i => i % 200_000 < 30_000
            ? (float)(1e-3 * (random.NextDouble() - 0.5))
            : (float)((40 * Math.Sin(2 * Math.PI * 0.8 * i / 100)) + (8 * Math.Sin(2 * Math.PI * 13 * i / 100)) + (15 * (random.NextDouble() - 0.5))))];
        ZeroPhaseFilter filter = SensingFilter.Parse(spec).Create(100);
        float[] whole = [.. night];
        filter.Apply(whole);

        // Blocks at the night's start and end, two that overlap once widened, one alone.
        (long From, long To)[] ranges = [(0, 36_400), (500_000, 536_400), (540_000, 576_400), (700_000, 736_400), (length - 36_400, length)];
        FilteredSegments pieces = FilteredSegments.Over(new MemoryStore<float>(night), filter, ranges)!;

        Assert.Equal(length, pieces.Length);
        foreach ((long from, long to) in ranges)
        {
            float[] read = new float[to - from];
            pieces.Read(from, read);
            Assert.Equal(whole.AsSpan((int)from, (int)(to - from)).ToArray(), read);
        }
    }

    [Fact]
    public void A_filter_settles_within_tens_of_samples_and_a_very_low_edge_does_not_within_the_probe()
    {
        // A 20-Hz low-pass at 100 Hz: poles at radius ~0.44, below 2^-60 within ~50 samples each way.
        Assert.InRange(FilteredSegments.Settling(SensingFilter.Parse("lp:20").Create(100)), 20, 400);
        Assert.Equal(-1, FilteredSegments.Settling(SensingFilter.Parse("hp:0.01").Create(100)));
        Assert.Null(FilteredSegments.Over(new MemoryStore<float>(new float[10_000]), SensingFilter.Parse("hp:0.01").Create(100), [(100, 200)]));
    }
}
