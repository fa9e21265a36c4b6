using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Tests.Support;

namespace SleepScoring.Analysis.Tests.Conditioning;

public sealed class EpochAmplitudeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sleepscoring-amplitude-").FullName;

    [Fact]
    public void An_epochs_amplitude_is_the_median_absolute_value()
    {
        // |x| = 1, 2, 3, 4, 100: the median is 3, whatever the one large artefact.
        Assert.Equal(3, EpochAmplitude.Of([-1f, 2f, -3f, 4f, -100f]));
        Assert.Equal(2.5, EpochAmplitude.Of([1f, -2f, 3f, -4f]));
        Assert.Equal(0, EpochAmplitude.Of([]));

        // A sine of peak A: median |x| = A·sin(π/4) = 0.7071 A.
        float[] sine = [.. Enumerable.Range(0, 3000).Select(i => (float)(20 * Math.Sin(2 * Math.PI * 3 * i / 100.0)))];
        Assert.Equal(14.14, EpochAmplitude.Of(sine), 1);
    }

    [Fact]
    public void The_median_by_selection_is_the_median_of_the_sorted_magnitudes()
    {
        // Odd and even lengths, many ties (rounded values), runs already in order and reversed.
        var random = new Random(15);
        foreach (int length in new[] { 1, 2, 3, 10, 11, 3000, 3001 })
        {
            for (int trial = 0; trial < 20; trial++)
            {
                float[] samples = [.. Enumerable.Range(0, length).Select(i => trial switch
                {
                    0 => i,
                    1 => -i,
                    2 => 7f,
                    _ => MathF.Round((float)((random.NextDouble() - 0.5) * 200), trial % 2 == 0 ? 0 : 3),
                })];
                float[] sorted = [.. samples.Select(MathF.Abs).Order()];
                double expected = length % 2 == 1 ? sorted[length / 2] : (sorted[(length / 2) - 1] + (double)sorted[length / 2]) / 2;
                Assert.Equal(expected, EpochAmplitude.Of(samples));
            }
        }
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(1.5)]
    public void A_night_recorded_k_times_larger_measures_k_times_the_amplitude(double k)
    {
        double reference = NightAmplitude(MontageStudies.Write(Path.Combine(folder, "plain.edf"), 100, ("EEG Fpz-Cz", "EEG Fpz-Cz", 1)));

        double scaled = NightAmplitude(MontageStudies.Write(Path.Combine(folder, "scaled.edf"), 200, ("EEG Fpz-Cz", "EEG Fpz-Cz", k)));

        // Resampled to 200 Hz and back: linear, so only the EDF's 16-bit quantisation moves it.
        Assert.Equal(k, scaled / reference, 2);
    }

    [Fact]
    public void A_nights_quantile_is_the_epoch_amplitude_of_that_rank_and_scales_with_a_gain()
    {
        string plain = MontageStudies.Write(Path.Combine(folder, "plain.edf"), 100, ("EEG Fpz-Cz", "EEG Fpz-Cz", 1));
        string louder = MontageStudies.Write(Path.Combine(folder, "louder.edf"), 100, ("EEG Fpz-Cz", "EEG Fpz-Cz", 1.5));
        using EdfReader reader = EdfReader.Open(plain);
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        ConditionedDerivation fpz = study.Derivations.First(d => d.Name == "EEG Fpz-Cz");

        // Independently: every scorable epoch's median |x|, sorted, at rank ⌊q·(n−1)⌋.
        double[] epochs = [.. study.Epochs.Where(e => e.Scorable).Select(e => EpochAmplitude.Of(fpz.Samples.ToArray().AsSpan(e.Index * ConditionedEpoch.Samples, ConditionedEpoch.Samples))).Order()];
        Assert.Equal(epochs[(int)Math.Floor(0.25 * (epochs.Length - 1))], EpochAmplitude.NightQuantile(study, fpz, 0, study.Epochs.Count - 1, 0.25)!.Value, 4);
        Assert.Equal(epochs[0], EpochAmplitude.NightQuantile(study, fpz, 0, study.Epochs.Count - 1, 0)!.Value, 4);
        Assert.True(EpochAmplitude.NightQuantile(study, fpz, 0, study.Epochs.Count - 1, 0.25) < EpochAmplitude.NightMedian(study, fpz, 0, study.Epochs.Count - 1));
        Assert.Null(EpochAmplitude.NightQuantile(study, fpz, 5, 4, 0.25)); // no epoch in the span

        using EdfReader scaledReader = EdfReader.Open(louder);
        ConditionedStudy scaled = new StudyConditioner().Condition(scaledReader);
        double ratio = EpochAmplitude.NightQuantile(scaled, scaled.Derivations.First(d => d.Name == "EEG Fpz-Cz"), 0, scaled.Epochs.Count - 1, 0.25)!.Value
            / EpochAmplitude.NightQuantile(study, fpz, 0, study.Epochs.Count - 1, 0.25)!.Value;
        Assert.Equal(1.5, ratio, 2);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static double NightAmplitude(string path)
    {
        using EdfReader reader = EdfReader.Open(path);
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        return EpochAmplitude.NightMedian(study, study.Derivations.First(d => d.Name == "EEG Fpz-Cz"), 0, study.Epochs.Count - 1)!.Value;
    }
}
