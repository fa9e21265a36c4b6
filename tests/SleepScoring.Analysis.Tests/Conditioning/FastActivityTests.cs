using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Conditioning;

public sealed class FastActivityTests
{
    private const double Rate = SignalConditioner.ModelRate;

    [Fact]
    public void The_share_is_the_rms_above_the_edge_over_the_rms_of_the_signal()
    {
        // 5 Hz at amplitude 1 with 30 Hz at 0.5; an ideal low-pass keeps the 5 Hz: 0.5/√2 over √(1 + 0.25)/√2.
        float[] signal = Wave(t => Math.Sin(2 * Math.PI * 5 * t) + (0.5 * Math.Sin(2 * Math.PI * 30 * t)));
        float[] lowPassed = Wave(t => Math.Sin(2 * Math.PI * 5 * t));

        Assert.Equal(0.5 / Math.Sqrt(1.25), FastActivity.Share(signal, lowPassed)!.Value, 4);
        Assert.Equal(0, FastActivity.Share(lowPassed, lowPassed)!.Value, 9);
    }

    [Fact]
    public void A_gain_on_the_recording_cancels()
    {
        float[] signal = Wave(t => Math.Sin(2 * Math.PI * 3 * t) + (0.2 * Math.Sin(2 * Math.PI * 27 * t)));
        float[] lowPassed = Wave(t => Math.Sin(2 * Math.PI * 3 * t));

        double share = FastActivity.Share(signal, lowPassed)!.Value;

        Assert.Equal(share, FastActivity.Share([.. signal.Select(x => 2.5f * x)], [.. lowPassed.Select(x => 2.5f * x)])!.Value, 5);
    }

    [Fact]
    public void A_band_share_is_the_rms_of_the_band_over_the_rms_of_the_whole()
    {
        // A copy at 0.3 of the signal: RMS ratio 0.3, whatever the waveform.
        float[] whole = Wave(t => Math.Sin(2 * Math.PI * 1 * t) + (0.4 * Math.Sin(2 * Math.PI * 10 * t)));
        float[] band = [.. whole.Select(x => 0.3f * x)];

        Assert.Equal(0.3, FastActivity.RmsRatio(band, whole)!.Value, 6);
        Assert.Null(FastActivity.RmsRatio(band, new float[band.Length]));
        using var b = new MemoryStore<float>(band);
        using var w = new MemoryStore<float>(whole);
        Assert.Equal(0.3, FastActivity.MedianBandShare(b, w, [0])!.Value, 6);
    }

    [Fact]
    public void A_flat_epoch_has_no_share_and_lengths_must_match()
    {
        Assert.Null(FastActivity.Share(new float[ConditionedEpoch.Samples], new float[ConditionedEpoch.Samples]));
        Assert.Throws<ArgumentException>(() => FastActivity.Share(new float[10], new float[9]));
    }

    [Fact]
    public void Over_epochs_the_median_is_taken_and_epochs_beyond_the_signal_or_flat_are_left_out()
    {
        // Four epochs with 30 Hz at 0.1, 0.3, 0.9 of the 5 Hz, then a flat one.
        double[] fast = [0.1, 0.3, 0.9, 0];
        int n = ConditionedEpoch.Samples;
        float[] signal = new float[5 * n], lowPassed = new float[5 * n];
        for (int e = 0; e < fast.Length; e++)
        {
            float[] slow = Wave(t => Math.Sin(2 * Math.PI * 5 * t));
            float[] all = Wave(t => Math.Sin(2 * Math.PI * 5 * t) + (fast[e] * Math.Sin(2 * Math.PI * 30 * t)));
            slow.CopyTo(lowPassed, e * n);
            all.CopyTo(signal, e * n);
        }

        using var x = new MemoryStore<float>(signal);
        using var y = new MemoryStore<float>(lowPassed);

        // Epochs 0–2 (the flat epoch 4 and the absent epoch 9 are left out): the median share is epoch 1's.
        Assert.Equal(0.3 / Math.Sqrt(1.09), FastActivity.MedianShare(x, y, [0, 1, 2, 4, 9])!.Value, 4);
        // Epoch 3 (0 above the edge) and epoch 0: the mean of the two middle values.
        Assert.Equal(0.05 / Math.Sqrt(1.01), FastActivity.MedianShare(x, y, [0, 3])!.Value, 4);
        Assert.Null(FastActivity.MedianShare(x, y, [4, 9]));
    }

    [Fact]
    public void A_low_quantile_reads_the_quiet_epochs()
    {
        // Shares 0.1, 0.3, 0.5, 0.7, 0.9 of the 5-Hz amplitude at 30 Hz: rank ⌊q·4⌋.
        double[] fast = [0.9, 0.1, 0.7, 0.3, 0.5];
        int n = ConditionedEpoch.Samples;
        float[] signal = new float[fast.Length * n], lowPassed = new float[fast.Length * n];
        for (int e = 0; e < fast.Length; e++)
        {
            Wave(t => Math.Sin(2 * Math.PI * 5 * t)).CopyTo(lowPassed, e * n);
            Wave(t => Math.Sin(2 * Math.PI * 5 * t) + (fast[e] * Math.Sin(2 * Math.PI * 30 * t))).CopyTo(signal, e * n);
        }

        using var x = new MemoryStore<float>(signal);
        using var y = new MemoryStore<float>(lowPassed);
        int[] all = [0, 1, 2, 3, 4];

        Assert.Equal(0.3 / Math.Sqrt(1.09), FastActivity.QuantileShare(x, y, all, 0.25)!.Value, 4);
        Assert.Equal(0.1 / Math.Sqrt(1.01), FastActivity.QuantileShare(x, y, all, 0)!.Value, 4);
        Assert.Equal(FastActivity.MedianShare(x, y, all)!.Value, FastActivity.QuantileShare(x, y, all, 0.5)!.Value, 6);
        Assert.Null(FastActivity.QuantileShare(x, y, [7], 0.25));
        Assert.Throws<ArgumentOutOfRangeException>(() => FastActivity.QuantileShare(x, y, all, 1.5));
    }

    /// <summary>One epoch at the model rate of f(t), t in seconds.</summary>
    private static float[] Wave(Func<double, double> f) => [.. Enumerable.Range(0, ConditionedEpoch.Samples).Select(i => (float)f(i / Rate))];
}
