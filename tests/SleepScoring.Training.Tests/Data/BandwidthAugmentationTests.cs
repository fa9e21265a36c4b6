using SleepScoring.Analysis.Conditioning;
using SleepScoring.Training.Data;

namespace SleepScoring.Training.Tests.Data;

public sealed class BandwidthAugmentationTests
{
    private const double Rate = 100; // conditioned samples per second
    private const int Hour = 120 * 3000;

    [Fact]
    public void Conditioned_samples_are_100_per_second_and_an_hour_is_120_epochs()
    {
        Assert.Equal(Rate, SignalConditioner.ModelRate);
        Assert.Equal(Hour, BandwidthAugmentation.BlockEpochs * ConditionedEpoch.Samples);
    }

    [Fact]
    public void Every_filtered_hour_keeps_slow_activity_and_attenuates_the_muscle_band_as_a_low_pass_at_or_below_40_Hz_does()
    {
        var augmentation = new BandwidthAugmentation(7, 1.0);
        float[] slow = Sine(5, hours: 6), fast = Sine(40, hours: 6);
        augmentation.Apply([slow, fast], "SC4001E0");
        for (int hour = 0; hour < 6; hour++)
        {
            // Skip each hour's first second: the filter's settling after the 3-s preroll is far shorter.
            int from = (hour * Hour) + 100, to = (hour + 1) * Hour;

            // A second-order Butterworth low-pass passes 5 Hz at ≥ 0.99 for any edge ≥ 20 Hz (1/√(1+(5/20)^4)),
            // twice ≥ 0.99; it halves the power at its edge, and 40 Hz is at or above every edge drawn.
            Assert.InRange(Rms(slow, from, to) / Rms(Sine(5, hours: 6), from, to), 0.98, 1.001);
            Assert.InRange(Rms(fast, from, to) / Rms(Sine(40, hours: 6), from, to), 0.0, 0.72);
        }
    }

    [Fact]
    public void Hours_not_drawn_are_left_bit_for_bit_and_both_derivations_are_filtered_alike()
    {
        var augmentation = new BandwidthAugmentation(3, 0.5);
        float[] original = Noise(hours: 24, seed: 11);
        float[] a = (float[])original.Clone(), b = (float[])original.Clone();
        augmentation.Apply([a, b], "SC4012E0");
        Assert.Equal(a, b);
        int kept = 0, filtered = 0;
        for (int hour = 0; hour < 24; hour++)
        {
            bool same = a.AsSpan(hour * Hour, Hour).SequenceEqual(original.AsSpan(hour * Hour, Hour));
            Assert.Equal(augmentation.Filter("SC4012E0", hour) is null, same);
            kept += same ? 1 : 0;
            filtered += same ? 0 : 1;
        }

        Assert.True(kept > 0 && filtered > 0, $"24 hours at 0.5: {kept} kept, {filtered} filtered");
    }

    [Fact]
    public void Each_hour_is_filtered_from_the_recording_whatever_became_of_the_hour_before()
    {
        // With every hour filtered, hour 1 must be the recording from 3 s before it run through its own
        // filter: the preroll is recorded signal, not hour 0 as already low-passed.
        var augmentation = new BandwidthAugmentation(3, 1.0);
        float[] recorded = Noise(hours: 2, seed: 5), augmented = (float[])recorded.Clone();
        augmentation.Apply([augmented], "SC4002E0");

        (Analysis.Signals.Biquad section, int sections) = augmentation.Filter("SC4002E0", 1)!.Value;
        double[] expected = [.. recorded.AsSpan(Hour - 300, 300 + Hour).ToArray().Select(v => (double)v)];
        for (int s = 0; s < sections; s++)
        {
            section.Run(expected);
        }

        for (int n = 0; n < 1000; n++)
        {
            Assert.Equal((float)expected[300 + n], augmented[Hour + n]);
        }
    }

    [Fact]
    public void Draws_are_a_function_of_seed_night_and_hour_at_the_asked_rate()
    {
        var augmentation = new BandwidthAugmentation(1, 0.3);
        int drawn = Enumerable.Range(0, 2000).Count(h => augmentation.Filter("SC4021E0", h) is not null);
        Assert.InRange(drawn / 2000.0, 0.27, 0.33); // binomial sd ≈ 0.01
        Assert.Equal(
            Enumerable.Range(0, 50).Select(h => augmentation.Filter("SC4021E0", h)),
            Enumerable.Range(0, 50).Select(h => new BandwidthAugmentation(1, 0.3).Filter("SC4021E0", h)));
        Assert.NotEqual(
            Enumerable.Range(0, 50).Select(h => augmentation.Filter("SC4021E0", h) is null),
            Enumerable.Range(0, 50).Select(h => augmentation.Filter("SC4022E0", h) is null));
        Assert.All(Enumerable.Range(0, 50), h => Assert.Null(new BandwidthAugmentation(1, 0).Filter("SC4021E0", h)));
    }

    [Fact]
    public void A_night_shorter_than_an_hour_and_an_absent_derivation_are_handled()
    {
        var augmentation = new BandwidthAugmentation(5, 1.0);
        float[] part = Sine(40, hours: 0.25), absent = [];
        augmentation.Apply([part, absent], "SC4031E0");
        Assert.Empty(absent);
        Assert.True(Rms(part, 100, part.Length) < 0.72 * Rms(Sine(40, hours: 0.25), 100, part.Length));
    }

    private static float[] Sine(double hz, double hours)
    {
        var x = new float[(int)(hours * Hour)];
        for (int n = 0; n < x.Length; n++)
        {
            x[n] = (float)(10 * Math.Sin(2 * Math.PI * hz * n / Rate));
        }

        return x;
    }

    private static float[] Noise(int hours, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, hours * Hour).Select(_ => (float)((random.NextDouble() * 20) - 10))];
    }

    private static double Rms(float[] x, int from, int to)
    {
        double sum = 0;
        for (int n = from; n < to; n++)
        {
            sum += x[n] * (double)x[n];
        }

        return Math.Sqrt(sum / (to - from));
    }
}
