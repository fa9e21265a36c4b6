using SleepScoring.Training.Data;

namespace SleepScoring.Training.Tests.Data;

public sealed class NarrowBandAugmentationTests
{
    [Fact]
    public void Draws_are_a_function_of_seed_night_and_hour_at_the_asked_rate()
    {
        var augmentation = new NarrowBandAugmentation(1, 0.25);
        bool[] draws = [.. Enumerable.Range(0, 4000).Select(h => augmentation.Narrow("SC4001E0", h))];

        Assert.Equal(draws, Enumerable.Range(0, 4000).Select(h => new NarrowBandAugmentation(1, 0.25).Narrow("SC4001E0", h)));
        // 4,000 draws at 0.25: standard deviation 0.0068, so ± 0.03 is over four.
        Assert.InRange(draws.Count(d => d) / 4000.0, 0.22, 0.28);
        Assert.NotEqual(draws, Enumerable.Range(0, 4000).Select(h => augmentation.Narrow("SC4002E0", h)));
        Assert.NotEqual(draws, Enumerable.Range(0, 4000).Select(h => new NarrowBandAugmentation(2, 0.25).Narrow("SC4001E0", h)));
    }

    [Fact]
    public void Its_draws_are_not_the_bandwidth_augmentations_with_the_same_seed()
    {
        var narrow = new NarrowBandAugmentation(3, 0.5);
        var bandwidth = new BandwidthAugmentation(3, 0.5);
        int agree = Enumerable.Range(0, 2000).Count(h => narrow.Narrow("SC4011E0", h) == bandwidth.Filter("SC4011E0", h) is not null);

        // Independent draws at 0.5 agree about half the time (1,000 ± 22).
        Assert.InRange(agree, 900, 1100);
    }

    [Fact]
    public void Filter_hours_come_from_the_hours_not_drawn_narrow_band_and_spread_evenly_over_the_edges()
    {
        var narrowOnly = new NarrowBandAugmentation(4, 0.4);
        var withFilters = new NarrowBandAugmentation(4, 0.4, 0.2);
        int[] filters = [.. Enumerable.Range(0, 6000).Select(h => withFilters.Filter("SC4021E0", h, 2))];

        // The narrow-band hours are those of a run without filter hours, and none of them is filtered.
        Assert.Equal(Enumerable.Range(0, 6000).Select(h => narrowOnly.Narrow("SC4021E0", h)), Enumerable.Range(0, 6000).Select(h => withFilters.Narrow("SC4021E0", h)));
        Assert.All(Enumerable.Range(0, 6000).Where(h => withFilters.Narrow("SC4021E0", h)), h => Assert.Equal(-1, filters[h]));
        // 6,000 draws at 0.1 per edge: standard deviation 0.0039, so ± 0.02 is over five.
        Assert.InRange(filters.Count(f => f == 0) / 6000.0, 0.08, 0.12);
        Assert.InRange(filters.Count(f => f == 1) / 6000.0, 0.08, 0.12);
        Assert.InRange(filters.Count(f => f == -1) / 6000.0, 0.76, 0.84);
        Assert.All(Enumerable.Range(0, 100), h => Assert.Equal(-1, narrowOnly.Filter("SC4021E0", h, 2)));
        Assert.All(Enumerable.Range(0, 100), h => Assert.Equal(-1, withFilters.Filter("SC4021E0", h, 0)));
    }

    [Fact]
    public void The_default_edge_is_the_nyquist_frequency_of_a_50_hz_recording() =>
        Assert.Equal(50 / 2.0, NarrowBandAugmentation.DefaultEdge);
}
