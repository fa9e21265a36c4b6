using System.Text.Json;

namespace SleepScoring.Cli.Tests;

/// <summary>
/// The clinical <c>sleepscore</c> must never ship or load TorchSharp: its deps file (what a publish
/// copies and the host resolves) is read as JSON and every library and asset name checked.
/// </summary>
public sealed class ClinicalToolDependencyTests
{
    private static string DepsFile => Path.Combine(Path.GetDirectoryName(typeof(ClinicalTool).Assembly.Location)!, "sleepscore.deps.json");

    [Fact]
    public void The_deps_file_names_no_torch_library_or_asset()
    {
        Assert.True(File.Exists(DepsFile), $"{DepsFile} is missing: the test reads the tool's own deps file.");
        using JsonDocument deps = JsonDocument.Parse(File.ReadAllText(DepsFile));

        var names = new List<string>();
        foreach (JsonProperty library in deps.RootElement.GetProperty("libraries").EnumerateObject())
        {
            names.Add(library.Name);
        }

        foreach (JsonProperty target in deps.RootElement.GetProperty("targets").EnumerateObject())
        {
            foreach (JsonProperty package in target.Value.EnumerateObject())
            {
                names.Add(package.Name);
                foreach (JsonProperty section in package.Value.EnumerateObject().Where(s => s.Value.ValueKind == JsonValueKind.Object))
                {
                    names.AddRange(section.Value.EnumerateObject().Select(asset => asset.Name));
                }
            }
        }

        // The deps file is the real closure: ONNX Runtime is in it, TorchSharp and libtorch are not.
        Assert.Contains(names, n => n.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("torch", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n.Contains("SleepScoring.Training", StringComparison.Ordinal) || n.Contains("SleepScoring.Synthesis", StringComparison.Ordinal));
    }

    [Fact]
    public void The_tool_folder_holds_no_torch_file()
    {
        string folder = Path.GetDirectoryName(DepsFile)!;

        Assert.DoesNotContain(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories), f => Path.GetFileName(f).Contains("torch", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_shipped_model_is_copied_beside_the_tool()
    {
        string models = Path.Combine(Path.GetDirectoryName(DepsFile)!, "models");

        Assert.True(File.Exists(Path.Combine(models, "model-card.json")), $"{models} has no card: an installed sleepscore would not find its model.");
        Assert.True(File.Exists(Path.Combine(models, "encoder.int.onnx")));
        Assert.True(File.Exists(Path.Combine(models, "sequence.int.onnx")));
    }
}
