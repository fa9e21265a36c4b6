using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Signals;

public sealed class ZeroPhaseFilterBankTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Each_lane_equals_its_filter_applied_alone_bit_for_bit(int count)
    {
        // Four band-passes of one structure (two high-pass and two low-pass sections) with different edges.
        ZeroPhaseFilter[] filters = [.. new[] { (4.0, 8.0), (8.0, 13.0), (13.0, 30.0), (0.5, 4.0) }.Take(count).Select(b => Band(b.Item1, b.Item2))];
        var random = new Random(17);
        float[][] signals = [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 700).Select(_ => (float)((random.NextDouble() * 100) - 50)).ToArray())];
        float[][] alone = [.. signals.Select(s => s[..650])];
        float[][] tails = [.. signals.Select(s => s[650..])];
        for (int i = 0; i < count; i++)
        {
            filters[i].Apply(alone[i]);
        }

        ZeroPhaseFilter.ApplyEach(filters, signals, 650, new double[filters[0].LaneWorkLength(650)]);

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(alone[i], signals[i][..650]);
            Assert.Equal(tails[i], signals[i][650..]); // beyond the length: untouched
        }
    }

    [Fact]
    public void Filters_of_different_structure_are_refused()
    {
        ZeroPhaseFilter[] filters = [Band(8, 13), ZeroPhaseFilter.Notch(256, 50)];
        float[][] signals = [new float[100], new float[100]];

        ArgumentException error = Assert.Throws<ArgumentException>(() => ZeroPhaseFilter.ApplyEach(filters, signals, 100, new double[4096]));
        Assert.Contains("sections", error.Message, StringComparison.Ordinal);
    }

    private static ZeroPhaseFilter Band(double low, double high) => new([
        Biquad.HighPass(100, low, 1.3065629648763766),
        Biquad.HighPass(100, low, 0.5411961001461971),
        Biquad.LowPass(100, high, 1.3065629648763766),
        Biquad.LowPass(100, high, 0.5411961001461971),
    ]);
}
