using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.EndToEnd;

/// <summary>The service never loads TorchSharp (DESIGN.md): inference is ONNX Runtime only.</summary>
public sealed class ServiceDependenciesTests
{
    [Fact]
    public void ServiceDependencies_HoldNoTorchSharpAndNoTrainingProject()
    {
        string deps = File.ReadAllText(Path.ChangeExtension(ServiceProcess.ApiAssembly(), ".deps.json"));

        Assert.DoesNotContain("TorchSharp", deps, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SleepScoring.Training", deps, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime", deps, StringComparison.Ordinal);
    }
}
