using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Sensing;

public sealed class SensingFilterTests
{
    [Theory]
    [InlineData("none", "0.3–35 Hz", null, null)]
    [InlineData("lp:25", "0.3–25 Hz", null, 25.0)]
    [InlineData("hp:0.5", "0.5–35 Hz", 0.5, null)]
    [InlineData("0.5-25", "0.5–25 Hz", 0.5, 25.0)]
    public void Parses_the_card_names(string text, string name, double? high, double? low)
    {
        SensingFilter filter = SensingFilter.Parse(text);

        Assert.Equal((name, high, low), (filter.Name, filter.HighPassHz, filter.LowPassHz));
    }

    [Fact]
    public void Parses_a_noise_floor_subtraction_and_writes_it_back()
    {
        SensingFilter filter = SensingFilter.Parse("ns:15");

        Assert.Equal((15.0, (double?)null, (double?)null, "ns:15", false), (filter.FloorFromHz, filter.HighPassHz, filter.LowPassHz, filter.Spec, filter.IsNone));
        Assert.Contains("15 Hz", filter.Name, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => filter.Create(100));
    }

    [Fact]
    public void A_noise_floor_subtraction_takes_a_steady_fast_noise_down_and_leaves_the_slow_eeg()
    {
        // 5-Hz "EEG" of 10 µV plus a steady 30-Hz tone of 3 µV (a stationary floor above 15 Hz): the
        // copy keeps the 5-Hz wave and loses most of the tone, which a 15-Hz low-pass would too — but
        // unlike the low-pass, it keeps a 30-Hz burst that stands well above the floor.
        const int length = 60_000;
        float[] x = [.. Enumerable.Range(0, length).Select(i => (float)((10 * Math.Sin(2 * Math.PI * 5 * i / 100.0)) + (3 * Math.Sin(2 * Math.PI * 30 * i / 100.0))))];
        for (int i = 30_000; i < 31_000; i++)
        {
            x[i] += (float)(20 * Math.Sin(2 * Math.PI * 30 * i / 100.0));
        }

        using var source = new SleepScoring.Analysis.Signals.MemoryStore<float>(x);
        using SleepScoring.Analysis.Signals.SampleStore<float> copy = SensingFilter.Parse("ns:15").Apply(source, SleepScoring.Analysis.Conditioning.ConditioningStorage.Memory);
        float[] y = copy.ToArray();

        static double Rms(float[] v, int from, int to) => Math.Sqrt(v[from..to].Average(s => (double)s * s));
        float[] slow = [.. Enumerable.Range(0, length).Select(i => (float)(10 * Math.Sin(2 * Math.PI * 5 * i / 100.0)))];
        float[] residue = [.. y.Select((v, i) => v - slow[i])];
        Assert.InRange(Rms(residue, 10_000, 20_000), 0, 0.3 * 3 / Math.Sqrt(2)); // the tone's RMS is 2.12 µV
        Assert.InRange(Rms(residue, 30_200, 30_800), 0.8 * 23 / Math.Sqrt(2), 1.1 * 23 / Math.Sqrt(2)); // the burst (20 + 3 µV) stays
    }

    [Fact]
    public void A_noise_floor_copy_of_a_night_kept_in_files_is_the_one_made_in_memory()
    {
        float[] x = [.. Enumerable.Range(0, 50_000).Select(i => (float)((10 * Math.Sin(2 * Math.PI * 5 * i / 100.0)) + (3 * Math.Sin(2 * Math.PI * 30 * i / 100.0))))];
        string folder = Directory.CreateTempSubdirectory("sleepscoring-floor-").FullName;
        try
        {
            using var storage = SleepScoring.Analysis.Conditioning.ConditioningStorage.InFolder(folder);
            using SleepScoring.Analysis.Signals.SampleStore<float> source = storage.NewTrack(x.Length);
            source.Write(0, x);

            using SleepScoring.Analysis.Signals.SampleStore<float> copy = SensingFilter.Parse("ns:15").Apply(source, storage);

            Assert.Equal(new SleepScoring.Analysis.Signals.NoiseFloorSubtraction(15).Apply(x, 100), copy.ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("lp:60")]
    [InlineData("25-5")]
    [InlineData("notch")]
    [InlineData("ns:0")]
    [InlineData("ns:fifteen")]
    public void Refuses_what_it_cannot_build(string text) =>
        Assert.Throws<FormatException>(() => SensingFilter.Parse(text));

    [Fact]
    public void A_low_pass_attenuates_above_its_edge_and_keeps_below()
    {
        float[] fast = [.. Enumerable.Range(0, 6000).Select(i => (float)(10 * Math.Sin(2 * Math.PI * 32 * i / 100.0)))];
        float[] slow = [.. Enumerable.Range(0, 6000).Select(i => (float)(10 * Math.Sin(2 * Math.PI * 5 * i / 100.0)))];

        SensingFilter.Parse("lp:20").Create(100).Apply(fast);
        SensingFilter.Parse("lp:20").Create(100).Apply(slow);

        // Order-2 Butterworth run forward and backward: gain |H|² = 1/(1 + (w32/w20)^4), w = tan(π f/100):
        // (1.5757/0.7265)^4 = 22.1, gain 0.043 → 0.43 µV; at 5 Hz (0.158/0.7265)^4 = 0.0022, gain 0.998.
        Assert.InRange(fast[2000..4000].Max(), 0.38, 0.48);
        Assert.InRange(slow[2000..4000].Max(), 9.8, 10.1);
    }
}
