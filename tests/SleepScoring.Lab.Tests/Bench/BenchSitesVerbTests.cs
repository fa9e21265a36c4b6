using System.Text.Json.Nodes;

using SleepScoring.CommandLine;
using SleepScoring.Lab.Bench;
using SleepScoring.Tests.Common;

namespace SleepScoring.Lab.Tests.Bench;

public sealed class BenchSitesVerbTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sleepscore-sites-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Test_time_adaptation_runs_on_the_unshifted_nights_too_and_reports_every_row()
    {
        // The unshifted row has no scratch folder of its own (its nights are the originals); adapting
        // on it once failed with "Could not find a part of the path …/none".
        string data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        string sample = Path.Combine(SharedData.RepositoryRoot, "sample-data");
        foreach (string subject in new[] { "SC4001E", "SC4011E" })
        {
            File.Copy(Path.Combine(sample, "SC4001E0-PSG.edf"), Path.Combine(data, subject + "0-PSG.edf"));
            File.Copy(Path.Combine(sample, "SC4001EC-Hypnogram.edf"), Path.Combine(data, subject + "C-Hypnogram.edf"));
        }

        string cv = Path.Combine(root, "cv");
        var error = new StringWriter();
        Assert.True(LabTool.Dispatcher.Run(["train", "--data", data, "--out", Path.Combine(cv, "fold-0"), "--passes", "1", "--threads", "1", "--seed", "3"], new StringWriter(), error) == VerbDispatcher.Success, error.ToString());

        string report = Path.Combine(root, "sites.json");
        int code = LabTool.Dispatcher.Run(
            ["bench", "sites", "--cv", cv, "--data", data, "--out", report, "--folds", "0", "--on", "validation", "--methods", "plain,tta", "--shifts", "gain-2", "--scratch", Path.Combine(root, "scratch"), "--threads", "1"],
            new StringWriter(),
            error);

        Assert.True(code == VerbDispatcher.Success, error.ToString());
        JsonArray nights = JsonNode.Parse(File.ReadAllText(report))!["nights"]!.AsArray();
        // One validation night, two shifts (unshifted and ×2), two methods.
        Assert.Equal(
            [("none", "plain"), ("none", "tta"), ("gain-2", "plain"), ("gain-2", "tta")],
            nights.Select(n => ((string?)n!["shift"], (string?)n["method"])));
        Assert.All(nights, n => Assert.True((long)n!["epochs"]! > 0));
    }
}
