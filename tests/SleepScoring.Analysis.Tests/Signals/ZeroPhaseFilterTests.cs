using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Signals;

public sealed class ZeroPhaseFilterTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(2)]
    [InlineData(20)]
    [InlineData(35)]
    [InlineData(0.3)]
    [InlineData(45)]
    public void BandPass_ToneGain_IsTheSquaredBilinearButterworthResponse(double frequency)
    {
        // Digital Butterworth by the pre-warped bilinear transform: |H|² = 1 / (1 + (tan(πf/fs)/tan(πfc/fs))^(2n)),
        // high-pass n = 2 at 0.3 Hz, low-pass n = 4 at 35 Hz; forward-backward squares |H|.
        static double Warp(double f) => Math.Tan(Math.PI * f / 100);
        double lowPass = 1 / (1 + Math.Pow(Warp(frequency) / Warp(35), 8));
        double highPass = 1 / (1 + Math.Pow(Warp(0.3) / Warp(frequency), 4));
        double expected = lowPass * highPass;

        float[] x = ToneFit.Sine(100 * 120, 100, frequency, 50);
        ZeroPhaseFilter.BandPass(100).Apply(x);
        (double amplitude, double phase) = ToneFit.Fit(x.AsSpan(3000, 6000), 100, frequency, 3000);

        Assert.Equal(expected * 50, amplitude, 1);
        Assert.InRange(phase, -1e-3, 1e-3); // zero phase
    }

    [Fact]
    public void BandPass_Edges_AreMinus6Db()
    {
        ZeroPhaseFilter filter = ZeroPhaseFilter.BandPass(100);
        Assert.Equal(0.5, filter.Magnitude(100, 35), 6);
        Assert.Equal(0.5, filter.Magnitude(100, 0.3), 3);
    }

    [Fact]
    public void BandPass_ConstantOffset_GivesZeroFromTheFirstSample()
    {
        // sosfiltfilt-style steady-state start: a DC level does not ring at the edges.
        float[] x = Enumerable.Repeat(120f, 3000).ToArray();
        ZeroPhaseFilter.BandPass(100).Apply(x);
        Assert.All(x, v => Assert.InRange(v, -1e-3f, 1e-3f));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(60)]
    public void Notch_RemovesMainsAndKeepsAlpha(double mains)
    {
        float[] hum = ToneFit.Sine(100 * 60 * 3, 300, mains, 100);
        float[] alpha = ToneFit.Sine(100 * 60 * 3, 300, 10, 100);
        ZeroPhaseFilter notch = ZeroPhaseFilter.Notch(300, mains);
        notch.Apply(hum);
        notch.Apply(alpha);
        Assert.True(ToneFit.Fit(hum.AsSpan(3000, 9000), 300, mains, 3000).Amplitude < 1, "mains not removed (> −40 dB)");
        Assert.Equal(100, ToneFit.Fit(alpha.AsSpan(3000, 9000), 300, 10, 3000).Amplitude, 0);
    }

    [Fact]
    public void Apply_TinySignals_DoNotThrow()
    {
        float[] one = [5f];
        float[] two = [5f, 6f];
        ZeroPhaseFilter.BandPass(100).Apply(one);
        ZeroPhaseFilter.BandPass(100).Apply(two);
        Assert.True(float.IsFinite(one[0]) && float.IsFinite(two[1]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void ApplyAll_GivesExactlyWhatApplyGivesPerChannel(int channels)
    {
        // Same operations in the same order per lane: bit-identical to the one-channel path.
        var random = new Random(5);
        float[][] signals = [.. Enumerable.Range(0, channels).Select(_ => Enumerable.Range(0, 5000).Select(_ => (float)((random.NextDouble() * 200) - 100)).ToArray())];
        float[][] expected = [.. signals.Select(s => (float[])s.Clone())];
        ZeroPhaseFilter filter = ZeroPhaseFilter.BandPass(100);
        foreach (float[] s in expected)
        {
            filter.Apply(s.AsSpan(1000, 3000));
        }

        filter.ApplyAll(signals, 1000, 3000);

        for (int c = 0; c < channels; c++)
        {
            Assert.Equal(expected[c], signals[c]);
        }
    }

    [Fact]
    public void Apply_WithAReusedOversizedWorkBuffer_EqualsTheFourLanePath()
    {
        // The reference is ApplyAll (the vector path, its own work array); the work buffer is dirty
        // from an earlier, longer signal and longer than needed.
        var random = new Random(9);
        float[] longer = [.. Enumerable.Range(0, 6000).Select(_ => (float)((random.NextDouble() * 200) - 100))];
        float[] signal = [.. Enumerable.Range(0, 4000).Select(_ => (float)((random.NextDouble() * 200) - 100))];
        float[][] reference = [(float[])signal.Clone()];
        ZeroPhaseFilter filter = ZeroPhaseFilter.BandPass(100);
        double[] work = new double[filter.WorkLength(longer.Length) + 17];
        filter.Apply(longer, work);

        filter.Apply(signal, work);
        filter.ApplyAll(reference, 0, reference[0].Length);

        Assert.Equal(reference[0], signal);
        // Three sections in the band-pass (high-pass + two low-pass): padding 3 × (2 × 3 + 1) = 21 samples at each end.
        Assert.Equal(4000 + 42, filter.WorkLength(4000));
        Assert.Throws<ArgumentException>(() => filter.Apply(signal, new double[4000 + 41]));
    }
}
