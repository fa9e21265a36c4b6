using SleepScoring.Analysis.Signals;

using Xunit.Abstractions;

namespace SleepScoring.Analysis.Tests.Signals;

/// <summary>Acceptance of the anti-aliasing resampler: tones through the 256→100 and 500→100 paths.</summary>
public sealed class ResamplerTests(ITestOutputHelper output)
{
    private const int Seconds = 20;

    [Theory]
    [InlineData(256)]
    [InlineData(500)]
    public void Passband_0_5To40Hz_RipplesAtMost0_1Db(double inputRate)
    {
        var resampler = new Resampler(inputRate);
        double lowest = double.MaxValue, highest = double.MinValue;
        for (double f = 0.5; f <= 40; f += 0.5)
        {
            double gain = ToneGain(resampler, f);
            lowest = Math.Min(lowest, gain);
            highest = Math.Max(highest, gain);
        }

        double rippleDb = 20 * Math.Log10(highest / lowest);
        output.WriteLine($"{inputRate}→100 Hz: passband gain {lowest:F6}…{highest:F6}, ripple {rippleDb:F4} dB ({resampler.Taps} taps/phase)");
        Assert.True(rippleDb <= 0.1, $"ripple {rippleDb} dB");
        Assert.InRange(lowest, 0.99, 1.01);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(500)]
    public void Stopband_AboveTheOutputNyquist_IsAttenuatedAtLeast60Db(double inputRate)
    {
        // Every tone from 50 Hz to the input's Nyquist would alias into 0–50 Hz; what comes out is
        // the leak. 1-µV tone in, RMS out · √2 = the leaked amplitude.
        var resampler = new Resampler(inputRate);
        double worst = 0, worstFrequency = 0;
        for (double f = 50; f < inputRate / 2; f += 0.73)
        {
            float[] y = resampler.Process(ToneFit.Sine((int)(Seconds * inputRate), inputRate, f, 1));
            double leak = ToneFit.Rms(y.AsSpan(200, y.Length - 400)) * Math.Sqrt(2);
            if (leak > worst)
            {
                (worst, worstFrequency) = (leak, f);
            }
        }

        double attenuationDb = -20 * Math.Log10(worst);
        output.WriteLine($"{inputRate}→100 Hz: worst stopband leak at {worstFrequency:F2} Hz, attenuation {attenuationDb:F1} dB");
        Assert.True(attenuationDb >= 60, $"{attenuationDb} dB at {worstFrequency} Hz");
    }

    [Theory]
    [InlineData(50)]
    [InlineData(100)]
    [InlineData(128)]
    [InlineData(173.61)]
    [InlineData(200)]
    [InlineData(250)]
    [InlineData(256)]
    [InlineData(500)]
    [InlineData(512)]
    public void TenHertzMicrovoltSine_KeepsItsAmplitudeWithin1Percent(double inputRate)
    {
        // 20 µV at 10 Hz, a typical alpha amplitude; the fit at 100 Hz must find 20 µV ± 1 %.
        float[] x = ToneFit.Sine((int)(Seconds * inputRate), inputRate, 10, 20);
        float[] y = new Resampler(inputRate).Process(x);
        (double amplitude, double phase) = ToneFit.Fit(y.AsSpan(200, y.Length - 400), 100, 10, 200);
        Assert.InRange(amplitude, 19.8, 20.2);
        Assert.InRange(phase, -0.01, 0.01); // output n is the input at n/100 s: no delay
    }

    [Theory]
    [InlineData(256, 7680, 3000)]
    [InlineData(500, 15000, 3000)]
    [InlineData(173.61, 5208, 2999)] // 30 s at 173.61 Hz is 5208.3 samples; 5208 of them last 29.998 s
    [InlineData(1, 30, 3000)]
    public void OutputLength_IsTheDurationAtTheModelRate(double inputRate, int inputLength, int expected) =>
        Assert.Equal(expected, new Resampler(inputRate).OutputLength(inputLength));

    [Fact]
    public void ConstantInput_StaysExactlyConstant_EvenAtTheEdges()
    {
        float[] y = new Resampler(256).Process(Enumerable.Repeat(-37.5f, 2560).ToArray());
        Assert.All(y, v => Assert.Equal(-37.5f, v, 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidRate_IsRejectedWithTheValue(double rate)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(rate));
        Assert.Equal("inputRate", e.ParamName);
    }

    private static double ToneGain(Resampler resampler, double frequency)
    {
        float[] y = resampler.Process(ToneFit.Sine((int)(Seconds * resampler.InputRate), resampler.InputRate, frequency, 1));
        return ToneFit.Fit(y.AsSpan(200, y.Length - 400), 100, frequency, 200).Amplitude;
    }

    [Theory]
    [InlineData(256)]
    [InlineData(200)]
    [InlineData(1)]
    [InlineData(314.159)] // no exact ratio: the phase comes from the time
    public void Process_InBlocksThroughTheSmallestWindows_EqualsTheWholeSignalAtOnce(double inputRate)
    {
        var resampler = new Resampler(inputRate);
        var random = new Random(7);
        float[] input = [.. Enumerable.Range(0, (int)(inputRate * 300)).Select(_ => (float)(random.NextDouble() - 0.5))];
        float[] whole = resampler.Process(input);

        float[] blocks = new float[whole.Length];
        for (long n = 0; n < whole.Length; n += 777)
        {
            int count = (int)Math.Min(777, whole.Length - n);
            (long start, long end) = resampler.InputRange(n, count, input.Length);
            resampler.Process(input.AsSpan((int)start, (int)(end - start)), start, input.Length, n, blocks.AsSpan((int)n, count));
        }

        Assert.Equal(whole, blocks);
    }

    [Fact]
    public void Process_AWindowMissingInput_Throws()
    {
        var resampler = new Resampler(256);
        float[] input = new float[256 * 60];
        (long start, long end) = resampler.InputRange(1000, 100, input.Length);
        Assert.Throws<ArgumentException>(() => resampler.Process(input.AsSpan((int)start + 1, (int)(end - start - 1)), start + 1, input.Length, 1000, new float[100]));
    }
}
