using System.Text.Json;

using SleepScoring.Tests.Common;

namespace SleepScoring.Cli.Tests.Verbs;

public sealed class ScoreVerbTests : IDisposable
{
    private readonly ContractModel model = new();
    private readonly string output = Directory.CreateTempSubdirectory("sleepscoring-score-").FullName;
    private readonly string study = Path.Combine(SharedData.RepositoryRoot, "sample-data", "SC4001E0-PSG.edf");

    [Fact]
    public void Scores_the_sample_study_into_json_csv_edf_and_images()
    {
        string json = Path.Combine(output, "result.json"), csv = Path.Combine(output, "hypnogram.csv"), edf = Path.Combine(output, "hypnogram.edf"), images = Path.Combine(output, "png");

        (int code, string stdout, string error) = Cli.Run("score", study, "--model", model.Directory, "--out", json, "--csv", csv, "--annotations", edf, "--images", images);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.StartsWith("255 epochs", stdout, StringComparison.Ordinal);
        using (JsonDocument document = JsonDocument.Parse(File.ReadAllText(json)))
        {
            Assert.Equal(255, document.RootElement.GetProperty("epochs").GetArrayLength());
        }

        // CSV: a header and one row per epoch (onset,duration,stage,…).
        string[] rows = File.ReadAllLines(csv);
        Assert.StartsWith("onset,duration,stage", rows[0], StringComparison.Ordinal);
        Assert.Equal(256, rows.Length);
        Assert.Equal(255, Analysis.Staging.HypnogramEdf.Read(edf).Hypnogram.Count);
        Assert.Equal(255, Directory.GetFiles(images, "epoch-*.png").Length);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(images, "epoch-00000.png"))[..4]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(images, "hypnogram.png"))[..4]);
    }

    /// <remarks>
    /// The least agreement is a guard, not an accuracy claim (see <see cref="OneChannelAgreement"/>).
    /// Since derivation dropout (2.1.0) a posterior channel alone is held to it too: 2.0.0, trained on
    /// both derivations only, read the sample's Pz-Oz alone at 44 %, 2.2.0 reads it at 84 % (docs/montage.md).
    /// </remarks>
    [Theory]
    [InlineData("EEG C3-M2", "EEG Fpz-Cz", 200, "Central", OneChannelAgreement)]
    [InlineData("EEG C4-A1", "EEG Fpz-Cz", 128, "Central", OneChannelAgreement)]
    [InlineData("EEG Fpz-Cz", "EEG Fpz-Cz", 100, "Frontal", OneChannelAgreement)]
    [InlineData("EEG O1-M2", "EEG Pz-Oz", 256, "Posterior", OneChannelAgreement)]
    public void Scores_a_one_channel_study_without_any_map_with_the_shipped_model(string label, string source, int rate, string region, double least)
    {
        string edf = MontageStudies.OneChannel(Path.Combine(output, "one.edf"), label, source, rate);
        string json = Path.Combine(output, "one.json");

        (int code, string stdout, string error) = Cli.Run("score", edf, "--model", ShippedModel, "--out", json);

        Assert.True(code == 0, error);
        Assert.StartsWith("255 epochs (255 scored)", stdout, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement eeg = Assert.Single(document.RootElement.GetProperty("derivations").EnumerateArray());
        Assert.Equal((label, region), (eeg.GetProperty("source").GetString(), eeg.GetProperty("region").GetString()));
        Assert.Contains(document.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("is not used", StringComparison.Ordinal));
        Assert.Contains(eeg.GetProperty("role").GetString(), (string[])["FrontalEeg", "PosteriorEeg"]);
        Assert.Contains(eeg.GetProperty("how_found").GetString(), (string[])["ExactAlias", "NormalizedAlias"]);
        Assert.Contains("shorter than a night", document.RootElement.GetProperty("sensing").GetProperty("reason").GetString(), StringComparison.Ordinal);
        AssertStagesFollowTheHypnogram(document.RootElement, least);
    }

    [Fact]
    public void Scores_an_aasm_montage_at_256_hz_without_any_map_with_the_shipped_model()
    {
        string edf = MontageStudies.Aasm(Path.Combine(output, "aasm.edf"), rate: 256);
        string json = Path.Combine(output, "aasm.json");

        (int code, string stdout, string error) = Cli.Run("score", edf, "--model", ShippedModel, "--out", json);

        Assert.True(code == 0, error);
        Assert.StartsWith("255 epochs (255 scored)", stdout, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = document.RootElement;
        string[] roles = [.. root.GetProperty("derivations").EnumerateArray().Select(d => d.GetProperty("role").GetString()!)];
        Assert.Contains("Eog", roles);
        Assert.Contains("Emg", roles);
        Assert.Contains(root.GetProperty("derivations").EnumerateArray(), d => d.GetProperty("source").GetString() == "E1-M2");
        Assert.Contains(root.GetProperty("derivations").EnumerateArray(), d => d.GetProperty("source").GetString() == "Chin EMG");
        // Every EEG slot's source is one of the six recorded AASM derivations, and the search tried the central ones too.
        string[] eeg = ["F4-M1", "C4-M1", "O2-M1", "F3-M2", "C3-M2", "O1-M2"];
        Assert.All(root.GetProperty("derivations").EnumerateArray().Where(d => d.TryGetProperty("gain", out _)), d => Assert.Contains(d.GetProperty("source").GetString(), eeg));
        JsonElement sensing = root.GetProperty("sensing");
        Assert.True(sensing.GetProperty("adaptive").GetBoolean());
        Assert.Contains(sensing.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("slots").EnumerateArray().Any(s => s.GetProperty("source").GetString() == "C4-M1"));
        AssertStagesFollowTheHypnogram(root, TwoChannelAgreement);
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(1000.0, false)]
    public void A_study_beyond_the_cards_out_of_distribution_limit_warns_and_queues_every_scored_epoch(double limit, bool beyond)
    {
        // The night objective (entropy + weighted prior divergence) is positive for any model that
        // is not certain of every epoch, and far below 1000 nats.
        WriteCardSensing(new System.Text.Json.Nodes.JsonObject { ["ood_threshold"] = limit });
        string json = Path.Combine(output, "ood.json");

        (int code, _, string error) = Cli.Run("score", study, "--model", model.Directory, "--sensing", "off", "--out", json);

        Assert.True(code == 0, error);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = document.RootElement;
        JsonElement night = root.GetProperty("sensing").GetProperty("night");
        Assert.Equal(limit, night.GetProperty("out_of_distribution_threshold").GetDouble());
        Assert.Equal(beyond, night.GetProperty("out_of_distribution").GetBoolean());
        Assert.False(night.GetProperty("broadband_noise").GetBoolean()); // read as recorded: no low-pass
        Assert.Equal(beyond, root.GetProperty("warnings").EnumerateArray().Any(w => w.GetString()!.Contains("review the whole study", StringComparison.Ordinal)));
        JsonElement[] queue = [.. root.GetProperty("review").GetProperty("queue").EnumerateArray()];
        int scored = root.GetProperty("epochs").EnumerateArray().Count(e => e.GetProperty("stage").GetString() is "W" or "N1" or "N2" or "N3" or "R");
        int whole = queue.Count(r => r.GetProperty("reasons").EnumerateArray().Any(x => x.GetString() == "out_of_distribution"));
        Assert.Equal(beyond ? (scored, scored) : (queue.Length, 0), (queue.Length, whole));
    }

    [Fact]
    public void A_study_read_through_a_low_pass_against_broadband_noise_warns_and_queues_every_scored_epoch()
    {
        // A card whose search always takes the low-pass (every lead "noisy", a filter wins by any margin),
        // with an objective limit nothing reaches: the low-pass alone makes the study out of distribution.
        WriteCardSensing(new System.Text.Json.Nodes.JsonObject
        {
            ["ood_threshold"] = 1000.0,
            ["night_hours"] = 0.0,
            ["fast_activity_limit"] = 0.0,
            ["filter_margin"] = -100.0,
            ["filters"] = new System.Text.Json.Nodes.JsonArray("lp:20"),
        });
        string json = Path.Combine(output, "noise.json");

        (int code, _, string error) = Cli.Run("score", study, "--model", model.Directory, "--out", json);

        Assert.True(code == 0, error);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = document.RootElement;
        JsonElement night = root.GetProperty("sensing").GetProperty("night");
        Assert.Contains("20 Hz", root.GetProperty("sensing").GetProperty("chosen").GetProperty("filter").GetString(), StringComparison.Ordinal);
        Assert.True(night.GetProperty("objective").GetDouble() < 1000);
        Assert.True(night.GetProperty("broadband_noise").GetBoolean());
        Assert.True(night.GetProperty("out_of_distribution").GetBoolean());
        string warning = Assert.Single(root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!), w => w.Contains("review the whole study", StringComparison.Ordinal));
        Assert.Contains("broadband noise", warning, StringComparison.Ordinal);
        JsonElement[] queue = [.. root.GetProperty("review").GetProperty("queue").EnumerateArray()];
        int scored = root.GetProperty("epochs").EnumerateArray().Count(e => e.GetProperty("stage").GetString() is "W" or "N1" or "N2" or "N3" or "R");
        Assert.Equal(scored, queue.Count(r => r.GetProperty("reasons").EnumerateArray().Any(x => x.GetString() == "out_of_distribution")));
    }

    [Fact]
    public void Scores_from_any_folder_with_the_model_shipped_beside_the_tool()
    {
        // A separate process in an empty working folder, no --model and no SLEEPSCORING_MODEL:
        // the shipped model is found beside sleepscore.dll, and the result is the shipped model's.
        string tool = Path.Combine(Path.GetDirectoryName(typeof(ClinicalTool).Assembly.Location)!, "sleepscore.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = output, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { tool, "score", study, "--out", "r.json" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SLEEPSCORING_MODEL");
        using var process = System.Diagnostics.Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0, error);
        Assert.Contains("model sleepscoring-integer-vit", stdout, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "r.json")));
        Assert.Equal("sleepscoring-integer-vit", document.RootElement.GetProperty("model").GetProperty("name").GetString());
    }

    [Fact]
    public void A_bad_file_exits_2_with_one_line_naming_the_field()
    {
        string bad = Path.Combine(output, "bad.edf");
        File.WriteAllText(bad, "this is not an EDF file at all");

        (int code, _, string error) = Cli.Run("score", bad, "--model", model.Directory);

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("offset", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_exits_2_naming_the_card()
    {
        (int code, _, string error) = Cli.Run("score", study, "--model", Path.Combine(output, "no-model"));

        Assert.Equal(2, code);
        Assert.Contains("model-card.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_study_without_eeg_exits_2_listing_the_labels()
    {
        // Map the only EEG channels away: the montage then finds no frontal EEG.
        (int code, _, string error) = Cli.Run("score", study, "--model", model.Directory, "--map", "EEG Fpz-Cz=EMG chin", "--map", "EEG Pz-Oz=EMG chin");

        Assert.Equal(2, code);
        Assert.Contains("EEG Fpz-Cz", error, StringComparison.Ordinal);
    }

    [Fact]
    public void No_study_is_a_usage_error()
    {
        (int code, _, string error) = Cli.Run("score", "--model", model.Directory);

        Assert.Equal(1, code);
        Assert.Contains("required", error, StringComparison.Ordinal);
    }

    /// <summary>Replaces the contract model card's <c>sensing</c> section.</summary>
    private void WriteCardSensing(System.Text.Json.Nodes.JsonObject sensing)
    {
        string card = Path.Combine(model.Directory, "model-card.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(card))!;
        node["sensing"] = sensing;
        File.WriteAllText(card, node.ToJsonString());
    }

    /// <summary>The model folder of the repository (the trained, shipped one).</summary>
    private static string ShippedModel => Path.Combine(SharedData.RepositoryRoot, "models");

    /// <summary>
    /// Least share of the sample's epochs whose stage equals its surrogate hypnogram's. Not an accuracy
    /// claim (subject 00 trained the shipped model): a guard that a montage the model was not trained
    /// on is still read, not merely accepted; a wrong presentation (gain, slot) falls far below it.
    /// </summary>
    private const double OneChannelAgreement = 0.6, TwoChannelAgreement = 0.65;

    private static void AssertStagesFollowTheHypnogram(JsonElement root, double least)
    {
        Analysis.Staging.Hypnogram truth = Analysis.Staging.HypnogramFile.Read(MontageStudies.SampleHypnogram).Hypnogram;
        string[] stages = [.. root.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("stage").GetString()!)];
        int agree = Enumerable.Range(0, Math.Min(stages.Length, truth.Count)).Count(i => stages[i] == truth.Stages[i].ToString());
        Assert.True(agree >= least * stages.Length, $"{agree} of {stages.Length} epochs agree with the hypnogram");
    }

    public void Dispose()
    {
        model.Dispose();
        Directory.Delete(output, recursive: true);
    }
}
