using SleepScoring.Analysis.Signals;
using SleepScoring.Edf;
using SleepScoring.Training.Sites;

namespace SleepScoring.Training.Tests.Sites;

public sealed class SiteShiftTests
{
    private const double Rate = 100;

    [Fact]
    public void Gain_scales_the_eeg_only()
    {
        RecordedStudy study = Study();

        RecordedStudy shifted = new SiteShift.Gain(1.5).Apply(study, 1);

        Assert.Equal(study.Channels[0].Samples.Select(v => v * 1.5f), shifted.Channels[0].Samples);
        Assert.Equal(study.Channels[2].Samples, shifted.Channels[2].Samples);
    }

    [Fact]
    public void Sampling_keeps_a_10_hz_rhythm_and_halves_the_samples()
    {
        RecordedStudy shifted = new SiteShift.Sampling(50).Apply(Study(), 1);

        RecordedChannel eeg = shifted.Channels[0];
        Assert.Equal((50.0, 3000), (eeg.Rate, eeg.Samples.Length));
        Assert.InRange(Amplitude(eeg.Samples, 50, 10), 19.5, 20.5);
    }

    [Fact]
    public void Hardware_filter_leaves_the_passband_and_removes_a_slow_offset()
    {
        RecordedStudy study = Study(offset: 100);

        RecordedStudy shifted = new SiteShift.HardwareFilter(0.3, 35).Apply(study, 1);

        float[] tail = shifted.Channels[0].Samples[^1000..];
        Assert.InRange(tail.Average(), -2, 2); // the 100 µV offset has decayed through the 0.3 Hz high-pass
        Assert.InRange(Amplitude(tail, Rate, 10), 19, 21);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(60)]
    public void Line_noise_adds_the_mains_tone_at_200_hz(double mains)
    {
        RecordedStudy shifted = new SiteShift.LineNoise(mains).Apply(Study(), 1);

        RecordedChannel eeg = shifted.Channels[0];
        Assert.Equal(200.0, eeg.Rate);
        Assert.InRange(Amplitude(eeg.Samples, 200, mains), 10, 30); // 20 µV × (1 ± 0.5) envelope
        Assert.InRange(Amplitude(eeg.Samples, 200, 10), 19.5, 20.5);
    }

    [Fact]
    public void Muscle_noise_has_its_rms_and_is_seeded()
    {
        RecordedStudy study = Study();

        RecordedStudy a = new SiteShift.MuscleNoise(4).Apply(study, 5), b = new SiteShift.MuscleNoise(4).Apply(study, 5), c = new SiteShift.MuscleNoise(4).Apply(study, 6);

        double[] noise = [.. a.Channels[0].Samples.Zip(study.Channels[0].Samples, (x, y) => (double)(x - y))];
        Assert.InRange(Math.Sqrt(noise.Average(v => v * v)), 3.99, 4.01);
        Assert.Equal(a.Channels[0].Samples, b.Channels[0].Samples);
        Assert.NotEqual(a.Channels[0].Samples, c.Channels[0].Samples);
    }

    [Fact]
    public void Missing_and_swapped_rearrange_the_eeg_channels()
    {
        RecordedStudy study = Study();

        RecordedStudy noPosterior = new SiteShift.Missing(Posterior: true).Apply(study, 1);
        RecordedStudy noFrontal = new SiteShift.Missing(Posterior: false).Apply(study, 1);
        RecordedStudy swapped = new SiteShift.Swapped().Apply(study, 1);

        Assert.Equal(["EEG Fpz-Cz", "EOG horizontal"], noPosterior.Channels.Select(c => c.Label));
        Assert.Equal(["EEG Pz-Oz", "EOG horizontal"], noFrontal.Channels.Select(c => c.Label));
        Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz", "EOG horizontal"], swapped.Channels.Select(c => c.Label));
        Assert.Same(study.Channels[1].Samples, swapped.Channels[0].Samples);
        Assert.Same(study.Channels[0].Samples, swapped.Channels[1].Samples);
    }

    [Fact]
    public void A_shifted_study_round_trips_through_edf()
    {
        string path = Path.Combine(Path.GetTempPath(), $"site-shift-{Environment.ProcessId}.edf");
        try
        {
            RecordedStudy shifted = new SiteShift.Gain(2).Apply(Study(), 1);
            shifted.Write(path);

            RecordedStudy read = RecordedStudy.Read(path);

            Assert.Equal(shifted.StartTime, read.StartTime);
            Assert.Equal(shifted.Channels.Select(c => (c.Label, c.Rate)), read.Channels.Select(c => (c.Label, c.Rate)));
            double step = 2 * Math.Ceiling(shifted.Channels[0].Samples.Max(v => Math.Abs(v)) * 1.01) / 65535;
            Assert.All(read.Channels[0].Samples.Zip(shifted.Channels[0].Samples), p => Assert.InRange(p.First - p.Second, -step, step));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_shift_has_a_unique_name_and_is_found_by_it()
    {
        Assert.Equal(SiteShift.All.Count, SiteShift.All.Select(s => s.Name).Distinct().Count());
        Assert.All(SiteShift.All, s => Assert.Same(s, SiteShift.Named(s.Name)));
        Assert.Contains("gain-2", Assert.Throws<ArgumentException>(() => SiteShift.Named("gain-3")).Message, StringComparison.Ordinal);
    }

    /// <summary>60 s: two EEG channels (10 Hz, 20 µV, plus an offset) and an EOG at 100 Hz.</summary>
    private static RecordedStudy Study(double offset = 0)
    {
        float[] Tone(double hz, double amplitude) => [.. Enumerable.Range(0, 6000).Select(i => (float)(offset + (amplitude * Math.Sin(2 * Math.PI * hz * i / Rate))))];
        return new RecordedStudy(new DateTime(2024, 1, 1, 23, 0, 0), 30,
            [new("EEG Fpz-Cz", "uV", "", "", Rate, Tone(10, 20)), new("EEG Pz-Oz", "uV", "", "", Rate, Tone(10, 20)), new("EOG horizontal", "uV", "", "", Rate, Tone(0.5, 50))],
            [new EdfAnnotation(0, null, "Lights off")]);
    }

    /// <summary>Amplitude of the <paramref name="hz"/> component (least squares on a sine and cosine) over the middle half.</summary>
    private static double Amplitude(float[] samples, double rate, double hz)
    {
        int from = samples.Length / 4, to = 3 * samples.Length / 4;
        double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
        for (int i = from; i < to; i++)
        {
            double s = Math.Sin(2 * Math.PI * hz * i / rate), c = Math.Cos(2 * Math.PI * hz * i / rate);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            ys += samples[i] * s;
            yc += samples[i] * c;
        }

        double det = (ss * cc) - (sc * sc), a = ((ys * cc) - (yc * sc)) / det, b = ((yc * ss) - (ys * sc)) / det;
        return Math.Sqrt((a * a) + (b * b));
    }
}
