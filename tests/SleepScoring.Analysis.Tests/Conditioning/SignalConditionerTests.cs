using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;
using SleepScoring.Analysis.Tests.Signals;

namespace SleepScoring.Analysis.Tests.Conditioning;

public sealed class SignalConditionerTests
{
    [Fact]
    public void Condition_256HzWithAGap_PlacesEachSegmentOnTheClockAndLeavesTheGapEmpty()
    {
        // Two 60-s runs of a 10 Hz, 30 µV tone at 256 Hz; the second starts at 90 s (30-s gap).
        float[] run = ToneFit.Sine(60 * 256, 256, 10, 30);
        float[] samples = [.. run, .. run];
        DataSegment[] segments = [new(0, 60, 0, 2), new(90, 60, 2, 2)];

        float[] y = new SignalConditioner(ConditioningOptions.Default).Condition(samples, 256, 30 * 256, segments, 150, SignalFilterKind.BandPass);

        Assert.Equal(15000, y.Length);
        Assert.All(y.AsSpan(6000, 3000).ToArray(), v => Assert.Equal(0f, v));
        // 10 Hz sits in the pass band: the amplitude survives resampling and the 0.3–35 Hz filter
        // (squared Butterworth response at 10 Hz ≈ 0.99999), well inside each segment.
        Assert.InRange(ToneFit.Fit(y.AsSpan(1000, 4000), 100, 10, 1000).Amplitude, 29.7, 30.3);
        Assert.InRange(ToneFit.Fit(y.AsSpan(10000, 4000), 100, 10, 1000).Amplitude, 29.7, 30.3);
    }

    [Fact]
    public void Condition_OneHertzEnvelope_IsUpsampledWithoutFiltering()
    {
        float[] envelope = [.. Enumerable.Repeat(2.5f, 60)];
        float[] y = new SignalConditioner(ConditioningOptions.Default).Condition(envelope, 1, 30, [new(0, 60, 0, 2)], 60, SignalFilterKind.Emg);
        Assert.Equal(6000, y.Length);
        Assert.All(y, v => Assert.Equal(2.5f, v, 3));
    }

    [Fact]
    public void Condition_MainsNotch_RemovesFiftyHertzAtTheOriginalRate()
    {
        float[] hum = ToneFit.Sine(60 * 256, 256, 50, 40);
        float[] alpha = ToneFit.Sine(60 * 256, 256, 10, 40);
        float[] x = [.. hum.Zip(alpha, (a, b) => a + b)];
        var conditioner = new SignalConditioner(new ConditioningOptions(Mains: 50));
        float[] y = conditioner.Condition(x, 256, 60 * 256, [new(0, 60, 0, 1)], 60, SignalFilterKind.None);
        // The output holds 10 Hz only: the 50-Hz tone is notched before resampling (and 50 Hz is the
        // output Nyquist, so the anti-aliasing filter alone would leave half of it).
        Assert.InRange(ToneFit.Rms(y.AsSpan(1000, 4000)) * Math.Sqrt(2), 39.5, 40.5);
    }

    [Fact]
    public void ConditionAll_SignalsOfDifferentRatesAndLengths_EqualEachConditionedAlone()
    {
        // Workers reuse one buffer for successive signals: a short signal read after a long one must
        // see none of the long one's samples, and results must not depend on which worker ran what.
        var conditioner = new SignalConditioner(ConditioningOptions.Default);
        DataSegment[] segments = [new(0, 120, 0, 4)];
        SignalInput[] inputs =
        [
            new(ToneFit.Sine(120 * 256, 256, 10, 30), 256, 30 * 256, SignalFilterKind.BandPass),
            new(ToneFit.Sine(120 * 100, 100, 3, 50), 100, 30 * 100, SignalFilterKind.BandPass),
            new(ToneFit.Sine(120 * 200, 200, 20, 10), 200, 30 * 200, SignalFilterKind.Emg),
            new([.. Enumerable.Repeat(2.5f, 120)], 1, 30, SignalFilterKind.Emg),
            new(ToneFit.Sine(60 * 256, 256, 7, 30), 256, 30 * 256, SignalFilterKind.None), // ends at 60 s: the rest stays zero
        ];

        float[][] together = conditioner.ConditionAll(inputs, segments, 120);

        for (int i = 0; i < inputs.Length; i++)
        {
            float[] alone = conditioner.Condition(inputs[i].Samples, inputs[i].SamplingRate, inputs[i].SamplesPerRecord, segments, 120, inputs[i].Filter);
            Assert.Equal(alone, together[i]);
        }

        Assert.All(together[4].AsSpan(6000).ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(314.159)]
    [InlineData(100)]
    public void ConditionInto_InFilesOrInMemory_EqualsEachStepOnWholeArrays(double rate)
    {
        // The whole-array algorithm, step by step from the public primitives: per segment the mains
        // notch at the original rate, the resampler over the segment, its place on the timeline
        // (cut at the end), then the band-pass over each segment's span. Streaming must not move a bit.
        var options = new ConditioningOptions(Mains: 50);
        DataSegment[] segments = [new(0, 600, 0, 20), new(660, 420, 20, 14)];
        int perRecord = (int)Math.Round(30 * rate);
        var random = new Random(5);
        float[] samples = [.. Enumerable.Range(0, 34 * perRecord).Select(i => (float)((40 * Math.Sin(i * 2 * Math.PI * 50 / rate)) + (30 * Math.Sin(i * 2 * Math.PI * 7 / rate)) + (random.NextDouble() * 20)))];
        const double Duration = 1079.995; // the last segment resamples past the timeline's end
        float[] expected = new float[(int)Math.Round(Duration * 100)];
        foreach (DataSegment segment in segments)
        {
            float[] piece = samples.AsSpan(segment.FirstRecord * perRecord, segment.RecordCount * perRecord).ToArray();
            if (50 < 0.45 * rate)
            {
                ZeroPhaseFilter.Notch(rate, 50).Apply(piece); // below the rate's Nyquist margin only
            }

            float[] resampled = rate == 100 ? piece : new Resampler(rate).Process(piece);
            int at = (int)Math.Round(segment.Start * 100);
            resampled.AsSpan(0, Math.Min(resampled.Length, expected.Length - at)).CopyTo(expected.AsSpan(at));
        }

        foreach (DataSegment segment in segments)
        {
            int at = (int)Math.Round(segment.Start * 100);
            ZeroPhaseFilter.BandPass(100).Apply(expected.AsSpan(at, Math.Min((int)Math.Round(segment.Duration * 100), expected.Length - at)));
        }

        var conditioner = new SignalConditioner(options);
        RecordedSignal[] signals = [new(samples.Length, rate, perRecord, SignalFilterKind.BandPass, (first, destination) => samples.AsSpan((int)first, destination.Length).CopyTo(destination))];
        string folder = Directory.CreateTempSubdirectory("conditioning-").FullName;
        try
        {
            float[] inFiles;
            using (ConditioningStorage storage = ConditioningStorage.InFolder(folder))
            {
                SampleStore<float> track = storage.NewTrack(SignalConditioner.TrackLength(Duration));
                conditioner.ConditionInto(signals, segments, Duration, [track], storage);
                Assert.Single(Directory.GetFiles(folder)); // the passes and notched samples are gone once used
                inFiles = track.ToArray();
            }

            Assert.Empty(Directory.GetFiles(folder)); // and the track with the storage
            Assert.Equal(expected, inFiles);
            Assert.Equal(expected, conditioner.ConditionAll(signals, segments, Duration)[0]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
