using System.Text.Json.Nodes;

using SleepScoring.CommandLine;
using SleepScoring.Tests.Common;

namespace SleepScoring.Lab.Tests.Verbs;

public sealed class CardVerbTests
{
    [Fact]
    public void Sensing_filters_go_into_a_fresh_card_that_has_no_sensing_section_yet()
    {
        // A model folder straight from `train` has no sensing section; the verb crashed on it once.
        string folder = Directory.CreateTempSubdirectory("sleepscore-card-").FullName;
        try
        {
            string cardPath = Path.Combine(folder, "model-card.json");
            JsonObject card = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "models", "model-card.json")))!.AsObject();
            card.Remove("sensing");
            File.WriteAllText(cardPath, card.ToJsonString());

            var error = new StringWriter();
            int code = LabTool.Dispatcher.Run(["card", "--model", folder, "--sensing-filters", "lp:20"], new StringWriter(), error);

            Assert.True(code == VerbDispatcher.Success, error.ToString());
            JsonNode sensing = JsonNode.Parse(File.ReadAllText(cardPath))!["sensing"]!;
            Assert.Equal(["lp:20"], sensing["filters"]!.AsArray().Select(f => (string?)f));
            Assert.Null(sensing["ood_threshold"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Site_shifts_set_the_limit_above_the_unshifted_nights_and_count_low_pass_nights_as_out_of_distribution()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscore-card-").FullName;
        try
        {
            File.Copy(Path.Combine(SharedData.RepositoryRoot, "models", "model-card.json"), Path.Combine(folder, "model-card.json"));
            string report = Path.Combine(folder, "sites.json");
            File.WriteAllText(report, new JsonObject
            {
                ["command"] = "sleepscore-lab bench sites …",
                ["counted"] = "sleep period ± 30 min",
                ["shifts"] = new JsonArray(new JsonObject { ["shift"] = "none", ["method"] = "sensing", ["accuracy"] = 0.8 }),
                ["nights"] = new JsonArray(
                    Night("none", "sensing", 1.0, broadband: false),
                    Night("none", "sensing", 1.2, broadband: false),
                    Night("none", "sensing", 1.3, broadband: true), // out of distribution anyway: does not raise the limit
                    Night("none", "plain", 9.0, broadband: null), // plain nights do not set the limit when sensing ran
                    Night("emg", "sensing", 0.4, broadband: true), // below the limit, yet read through a low-pass
                    Night("gain-2", "sensing", 1.5, broadband: false)),
            }.ToJsonString());

            var output = new StringWriter();
            var error = new StringWriter();
            int code = LabTool.Dispatcher.Run(["card", "--model", folder, "--sites", report, "--ood-margin", "0.2"], output, error);

            Assert.True(code == VerbDispatcher.Success, error.ToString());
            JsonNode card = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model-card.json")))!;
            Assert.Equal(1.4, (double)card["sensing"]!["ood_threshold"]!, 9); // largest unshifted sensing night not read through a low-pass, 1.2, + 0.2
            Assert.Equal("none", (string?)card["site_shifts"]!["rows"]![0]!["shift"]);
            Assert.Contains("1 of 5 benchmark nights (sensing) lie above it; 3 out of distribution counting those read through a noise filter", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Site_shifts_whose_unshifted_nights_were_all_read_through_a_low_pass_are_refused_by_name()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscore-card-").FullName;
        try
        {
            string cardPath = Path.Combine(folder, "model-card.json");
            File.Copy(Path.Combine(SharedData.RepositoryRoot, "models", "model-card.json"), cardPath);
            string before = File.ReadAllText(cardPath);
            string report = Path.Combine(folder, "sites.json");
            File.WriteAllText(report, new JsonObject
            {
                ["shifts"] = new JsonArray(),
                ["nights"] = new JsonArray(Night("none", "sensing", 0.7, broadband: true), Night("emg", "sensing", 0.5, broadband: true)),
            }.ToJsonString());

            var error = new StringWriter();
            int code = LabTool.Dispatcher.Run(["card", "--model", folder, "--sites", report], new StringWriter(), error);

            Assert.Equal(VerbDispatcher.InputError, code);
            Assert.Contains("sites.json holds no unshifted night with its objective ('none', sensing, not read through a noise filter)", error.ToString(), StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllText(cardPath)); // nothing written
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static JsonObject Night(string shift, string method, double objective, bool? broadband) => new()
    {
        ["shift"] = shift,
        ["method"] = method,
        ["night_objective"] = objective,
        ["broadband_noise"] = broadband,
    };
}
