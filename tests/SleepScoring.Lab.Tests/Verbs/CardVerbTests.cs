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
}
