using SleepScoring.CommandLine;
using SleepScoring.Lab.Bench;

namespace SleepScoring.Lab.Tests.Bench;

public class BenchRenderVerbTests
{
    [Theory]
    [InlineData("--fast")]
    [InlineData("--seconds")]
    [InlineData("--seconds", "0")]
    [InlineData("--seconds", "61")]
    [InlineData("--seconds", "abc")]
    public void Run_BadArguments_IsAUsageErrorWithExitCode1(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = LabTool.Dispatcher.Run(["bench", "render", .. args], output, error);

        Assert.Equal(VerbDispatcher.UsageError, exit);
        Assert.StartsWith("sleepscore-lab bench render: ", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void Run_ShortBudget_ReportsEveryPresetVariantAndTheClinicianImage()
    {
        var output = new StringWriter();

        int exit = new BenchRenderVerb().Run(["--seconds", "0.03"], output);

        // 3 presets × 5 variants, then 3 clinician rows; the figures themselves depend on the machine.
        string text = output.ToString();
        Assert.Equal(VerbDispatcher.Success, exit);
        foreach (string preset in new[] { "| small | 64×300 |", "| medium | 96×480 |", "| large | 128×750 |" })
        {
            foreach (string variant in new[] { "Skia envelope", "Skia polyline", "Skia polyline AA", "direct envelope", "direct polyline AA" })
            {
                Assert.Contains($"{preset} {variant} |", text, StringComparison.Ordinal);
            }
        }

        Assert.Contains("| clinician image 1710×374 |", text, StringComparison.Ordinal);
        Assert.Contains("| draw + overlay + PNG encode |", text, StringComparison.Ordinal);
    }
}
