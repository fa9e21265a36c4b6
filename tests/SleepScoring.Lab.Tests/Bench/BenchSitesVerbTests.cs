using SleepScoring.Lab.Bench;

namespace SleepScoring.Lab.Tests.Bench;

public sealed class BenchSitesVerbTests
{
    [Fact]
    public void A_nights_noise_seed_is_fnv_1a_of_its_name_the_same_in_every_process()
    {
        // Published FNV-1a 64-bit test vectors (the offset basis for the empty string).
        Assert.Equal(0xcbf29ce484222325UL, BenchSitesVerb.StableSeed(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, BenchSitesVerb.StableSeed("a"));
        Assert.Equal(0x85944171f73967e8UL, BenchSitesVerb.StableSeed("foobar"));
    }
}
