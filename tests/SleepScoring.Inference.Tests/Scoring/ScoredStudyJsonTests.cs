using System.Text.Json;

using NJsonSchema;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Inference.Sensing;
using SleepScoring.Model;
using SleepScoring.Tests.Common;

namespace SleepScoring.Inference.Tests.Scoring;

/// <summary>The scorer's JSON against the published contract, schemas/scored-study.schema.json.</summary>
public sealed class ScoredStudyJsonTests : IDisposable
{
    private static readonly string SchemaPath = Path.Combine(SharedData.RepositoryRoot, "schemas", "scored-study.schema.json");
    private readonly ContractModel contract = new();

    private string ScoreSample(ScoringRequest? request = null, string? path = null)
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        using EdfReader reader = EdfReader.Open(path ?? Path.Combine(SharedData.RepositoryRoot, "sample-data", "SC4001E0-PSG.edf"));
        ScoredStudy study = new StudyScorer(model).Score(reader, request);
        using var stream = new MemoryStream();
        ScoredStudyJson.Write(study, stream, indented: true);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Scored_sample_study_is_valid_against_the_schema(bool explainAndIdentify)
    {
        JsonSchema schema = await JsonSchema.FromFileAsync(SchemaPath);
        string json = ScoreSample(new ScoringRequest { Explain = explainAndIdentify, IncludePatientIdentification = explainAndIdentify });

        Assert.Empty(schema.Validate(json));
    }

    [Fact]
    public async Task A_one_channel_study_with_sensing_is_valid_and_names_its_slots()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscoring-json-").FullName;
        try
        {
            JsonSchema schema = await JsonSchema.FromFileAsync(SchemaPath);
            string json = ScoreSample(new ScoringRequest { AdaptiveSensing = true }, MontageStudies.OneChannel(Path.Combine(folder, "c4.edf"), "EEG C4-A1", "EEG Fpz-Cz", 128));

            Assert.Empty(schema.Validate(json));
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            JsonElement eeg = Assert.Single(root.GetProperty("derivations").EnumerateArray(), d => d.TryGetProperty("gain", out _));
            Assert.Equal(("EEG C4-A1", "Central"), (eeg.GetProperty("source").GetString(), eeg.GetProperty("region").GetString()));
            JsonElement sensing = root.GetProperty("sensing");
            Assert.True(sensing.GetProperty("adaptive").GetBoolean());
            Assert.Equal(2, sensing.GetProperty("chosen").GetProperty("slots").GetArrayLength());
            Assert.Contains(sensing.GetProperty("chosen").GetProperty("slots").EnumerateArray(), s => s.GetProperty("source").ValueKind == JsonValueKind.Null);
            Assert.True(sensing.GetProperty("candidates").GetArrayLength() >= 2);
            Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("is not used", StringComparison.Ordinal));
            JsonElement saliency = root.GetProperty("epochs")[0].GetProperty("saliency");
            Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz"], saliency.GetProperty("derivations").EnumerateArray().Select(d => d.GetString()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_study_louder_than_the_training_nights_reports_its_amplitude_estimate()
    {
        // The card says the model was trained on nights half as large as the sample.
        IReadOnlyList<double?> night;
        using (StagingModel model = StagingModel.Load(contract.Directory))
        using (EdfReader reader = EdfReader.Open(Path.Combine(SharedData.RepositoryRoot, "sample-data", "SC4001E0-PSG.edf")))
        {
            night = new AdaptiveSensing(model).NightAmplitudes(new StudyConditioner().Condition(reader));
        }

        var half = AmplitudeProfile.FromNights(new Dictionary<string, IReadOnlyList<double>> { ["EEG Fpz-Cz"] = [night[0]!.Value / 2], ["EEG Pz-Oz"] = [night[1]!.Value / 2] });
        ModelPackage.SetDetail(contract.Directory, AmplitudeProfile.SectionName, half.Section("test"));
        JsonSchema schema = await JsonSchema.FromFileAsync(SchemaPath);

        string json = ScoreSample(new ScoringRequest { AdaptiveSensing = true });

        Assert.Empty(schema.Validate(json));
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement[] amplitude = [.. document.RootElement.GetProperty("sensing").GetProperty("amplitude").EnumerateArray()];
        Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz"], amplitude.Select(a => a.GetProperty("slot").GetString()));
        Assert.All(amplitude, a => Assert.Equal(0.5, a.GetProperty("gain").GetDouble()));
        Assert.Equal(night[0]!.Value / 2, amplitude[0].GetProperty("trained_microvolts").GetDouble(), 3);
    }

    [Fact]
    public void Json_carries_the_fields_the_issue_names()
    {
        using JsonDocument document = JsonDocument.Parse(ScoreSample());
        JsonElement root = document.RootElement;
        JsonElement first = root.GetProperty("epochs")[0];

        Assert.Equal(255, root.GetProperty("epochs").GetArrayLength());
        Assert.Equal("contract", root.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.Equal(0.0, first.GetProperty("onset_seconds").GetDouble());
        Assert.Equal(5, first.GetProperty("probabilities").EnumerateObject().Count());
        Assert.Equal(2, first.GetProperty("saliency").GetProperty("grid").GetArrayLength());
        Assert.Equal(ContractModel.Window, first.GetProperty("saliency").GetProperty("neighbours").GetArrayLength());
        Assert.False(root.GetProperty("recording").TryGetProperty("patient_identification", out _));
    }

    [Fact]
    public async Task The_schema_is_not_permissive()
    {
        JsonSchema schema = await JsonSchema.FromFileAsync(SchemaPath);
        string json = ScoreSample(new ScoringRequest { Explain = false });

        // An epoch with a stage outside the vocabulary, and a study without epochs, are both invalid.
        string badStage = System.Text.RegularExpressions.Regex.Replace(json, "\"stage\": \"[A-Za-z0-9]+\"", "\"stage\": \"S4\"");
        Assert.NotEqual(json, badStage);
        Assert.NotEmpty(schema.Validate(badStage));
        using JsonDocument document = JsonDocument.Parse(json);
        string withoutEpochs = JsonSerializer.Serialize(document.RootElement.EnumerateObject().Where(p => p.Name != "epochs").ToDictionary(p => p.Name, p => p.Value));
        Assert.NotEmpty(schema.Validate(withoutEpochs));
    }

    public void Dispose() => contract.Dispose();
}
