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

    public void Dispose()
    {
        model.Dispose();
        Directory.Delete(output, recursive: true);
    }
}
