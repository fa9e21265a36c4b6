using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Sensing;
using SleepScoring.Model;

namespace SleepScoring.Inference.Tests.Sensing;

public sealed class AmplitudeProfileTests : IDisposable
{
    private readonly ContractModel contract = new();
    private readonly string folder = Directory.CreateTempSubdirectory("sleepscoring-profile-").FullName;

    [Fact]
    public void Inside_the_training_nights_range_the_gain_is_one_and_outside_it_brings_the_study_to_its_nearest_end()
    {
        var profile = AmplitudeProfile.FromNights(new Dictionary<string, IReadOnlyList<double>> { ["EEG Fpz-Cz"] = [6, 9, 20, 8, 10] });

        Assert.Equal(new DerivationAmplitude("EEG Fpz-Cz", 9, 6, 20, 5), profile.Derivations.Single());
        Assert.Equal(1f, profile.Gain("EEG Fpz-Cz", 6));
        Assert.Equal(1f, profile.Gain("EEG Fpz-Cz", 19.9));
        Assert.Equal(0.8f, profile.Gain("EEG Fpz-Cz", 25)); // 20 / 25
        Assert.Equal(1.2f, profile.Gain("EEG Fpz-Cz", 5)); // 6 / 5
        Assert.Equal(2f, profile.Gain("EEG Fpz-Cz", 1)); // 6 / 1: clamped to the searched range
        Assert.Equal(0.5f, profile.Gain("EEG Fpz-Cz", 100)); // 20 / 100
        Assert.Equal(1f, profile.Gain("EEG Pz-Oz", 1)); // no profile for the slot
        Assert.Equal(1f, profile.Gain("EEG Fpz-Cz", null));
    }

    [Theory]
    [InlineData(2.0, 0.5)]
    [InlineData(0.5, 2.0)]
    [InlineData(1.6, 0.63)]
    [InlineData(1.0, 1.0)]
    public void A_study_scaled_by_k_is_estimated_at_one_over_k_and_one_at_training_amplitude(double k, float expected)
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        var sensing = new AdaptiveSensing(model);

        // "Trained" on the sample itself: one night, so the range the model knows is that night's amplitude alone.
        IReadOnlyList<double?> trained = sensing.NightAmplitudes(Condition(MontageStudies.Sample));
        var profile = AmplitudeProfile.FromNights(new Dictionary<string, IReadOnlyList<double>>
        {
            ["EEG Fpz-Cz"] = [trained[0]!.Value],
            ["EEG Pz-Oz"] = [trained[1]!.Value],
        });
        string scaled = MontageStudies.Write(Path.Combine(folder, "scaled.edf"), 100, ("EEG Fpz-Cz", "EEG Fpz-Cz", k), ("EEG Pz-Oz", "EEG Pz-Oz", k));

        IReadOnlyList<double?> night = sensing.NightAmplitudes(Condition(scaled));

        // The EDF's 16-bit quantisation moves the measure a little: at k = 1 it need not fall exactly on
        // the single training night, so 1 ± 0.01 is what "inside the range" can give there.
        Assert.Equal(expected, profile.Gain("EEG Fpz-Cz", night[0]), 0.011f);
        Assert.Equal(expected, profile.Gain("EEG Pz-Oz", night[1]), 0.011f);
    }

    [Fact]
    public void The_card_section_reads_back_and_a_malformed_one_names_itself()
    {
        var profile = new AmplitudeProfile([new DerivationAmplitude("EEG Fpz-Cz", 9, 6.2, 20, 14), new DerivationAmplitude("EEG Pz-Oz", 6.5, 3.4, 9.1, 14)]);

        Assert.Equal(profile.Derivations, AmplitudeProfile.Of(Card(profile.Section("test")))!.Derivations);
        Assert.Equal(profile.Derivations, ModelSensing.Options(Card(profile.Section("test"))).Amplitude!.Derivations);
        Assert.Null(AmplitudeProfile.Of(Card(null)));

        ModelFileException e = Assert.Throws<ModelFileException>(() => AmplitudeProfile.Of(Card(new { derivations = new[] { new { derivation = "EEG Fpz-Cz", median = -1, lowest = 1, highest = 2, nights = 1 } } })));
        Assert.Contains("input_amplitude", e.Message, StringComparison.Ordinal);
        Assert.Contains("median", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        contract.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private static ConditionedStudy Condition(string path)
    {
        using EdfReader reader = EdfReader.Open(path);
        return new StudyConditioner().Condition(reader, eegCandidates: true);
    }

    private static ModelCard Card(object? section) => CardWithSection.Of(AmplitudeProfile.SectionName, section);
}
