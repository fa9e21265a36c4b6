using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Sensing;

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

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static double NightAmplitude(string path)
    {
        using EdfReader reader = EdfReader.Open(path);
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        return EpochAmplitude.NightMedian(study, study.Derivations.First(d => d.Name == "EEG Fpz-Cz"), 0, study.Epochs.Count - 1)!.Value;
    }
}
