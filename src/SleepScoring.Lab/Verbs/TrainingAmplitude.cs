using System.Globalization;
using System.Text.Json;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Inference.Sensing;
using SleepScoring.Model;
using SleepScoring.Training.Data;
using SleepScoring.Training.Training;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// Records in a model folder's card (<c>input_amplitude</c>) what amplitude each EEG slot was
/// trained on: every training night of the folder's record, conditioned and spanned as the scorer
/// does for adaptive sensing, measured by <see cref="EpochAmplitude"/>. Sensing's gain estimate reads it.
/// </summary>
internal static class TrainingAmplitude
{
    /// <summary>Measures the training nights of <paramref name="directory"/>'s model found in <paramref name="data"/> and writes the card section.</summary>
    /// <exception cref="TrainingDataException">No training night of the record is in <paramref name="data"/>.</exception>
    public static AmplitudeProfile Write(string directory, string data, TextWriter output)
    {
        TrainingRecord record = JsonSerializer.Deserialize<TrainingRecord>(File.ReadAllText(Path.Combine(directory, FloatModelDirectory.RecordFile)), ModelCard.Json)
            ?? throw new TrainingDataException($"{Path.Combine(directory, FloatModelDirectory.RecordFile)} is empty.");
        PsgPair[] nights = [.. PsgFolder.FindPairs(data, []).Where(p => record.TrainingSubjects.Contains(p.SubjectId))];
        if (nights.Length == 0)
        {
            throw new TrainingDataException($"'{data}' holds no night of the model's training subjects ({string.Join(", ", record.TrainingSubjects)}); the amplitude profile is measured on them.");
        }

        using StagingModel model = StagingModel.Load(directory, new InferenceOptions { Workers = 1, Threads = 1 });
        var scorer = new StudyScorer(model);
        var sensing = new AdaptiveSensing(model);
        Dictionary<string, List<double>> medians = model.Card.Input.Derivations.ToDictionary(d => d, _ => new List<double>());
        foreach (PsgPair night in nights)
        {
            using EdfReader reader = EdfReader.Open(night.PsgPath);
            ConditionedStudy study = scorer.Condition(reader, new ScoringRequest { AdaptiveSensing = false });
            IReadOnlyList<double?> amplitudes = sensing.NightAmplitudes(study);
            for (int slot = 0; slot < amplitudes.Count; slot++)
            {
                if (amplitudes[slot] is double a)
                {
                    medians[model.Card.Input.Derivations[slot]].Add(a);
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {night.Name}: {string.Join(", ", amplitudes.Select((a, i) => $"{model.Card.Input.Derivations[i]} {a:0.00} µV"))}"));
        }

        AmplitudeProfile profile = AmplitudeProfile.FromNights(medians.ToDictionary(m => m.Key, m => (IReadOnlyList<double>)m.Value));
        ModelPackage.SetDetail(directory, AmplitudeProfile.SectionName, profile.Section(
            string.Create(CultureInfo.InvariantCulture, $"{nights.Length} training nights of {Path.GetFileName(Path.TrimEndingDirectorySeparator(data))} (subjects {string.Join(", ", record.TrainingSubjects)})"),
            model.Card.Input.AmplitudeNormalisation is null ? AmplitudeProfile.Measure : AmplitudeProfile.NormalisedMeasure));
        foreach (DerivationAmplitude d in profile.Derivations)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d.Derivation}: median {d.Median:0.00} µV, nights {d.Lowest:0.00}–{d.Highest:0.00} µV ({d.Nights} nights)"));
        }

        return profile;
    }
}
