using SleepScoring.Training.Training;

namespace SleepScoring.Training.Tests.Training;

public sealed class SeededRandomTests
{
    [Fact]
    public void A_stable_key_is_fnv_1a_of_the_text_the_same_in_every_process()
    {
        // Published FNV-1a 64-bit test vectors (the offset basis for the empty string). The site-shift
        // benchmark's noise seeds and the bandwidth augmentation's draws are keyed so.
        Assert.Equal(0xcbf29ce484222325UL, SeededRandom.StableKey(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, SeededRandom.StableKey("a"));
        Assert.Equal(0x85944171f73967e8UL, SeededRandom.StableKey("foobar"));
    }

    [Fact]
    public void Doubles_are_uniform_in_zero_to_one()
    {
        var random = new SeededRandom(7);
        double[] draws = [.. Enumerable.Range(0, 100_000).Select(_ => random.NextDouble())];

        Assert.All(draws, d => Assert.InRange(d, 0, Math.BitDecrement(1.0)));
        Assert.InRange(draws.Average(), 0.49, 0.51);
        Assert.InRange(draws.Count(d => d < 0.25) / (double)draws.Length, 0.24, 0.26);
    }
}
