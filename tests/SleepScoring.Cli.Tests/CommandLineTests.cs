namespace SleepScoring.Cli.Tests;

public class CommandLineTests
{
    [Fact]
    public void NoArguments_PrintsUsageAndExitsWith1()
    {
        (int code, string output, string error) = Cli.Run();

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("usage: sleepscore <verb>", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownVerb_PrintsUsageAndExitsWith1()
    {
        (int code, _, string error) = Cli.Run("frobnicate");

        Assert.Equal(1, code);
        Assert.Contains("unknown verb 'frobnicate'", error, StringComparison.Ordinal);
        Assert.Contains("inspect", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsEveryRegisteredVerb()
    {
        (int code, string output, _) = Cli.Run("--help");

        Assert.Equal(0, code);
        Assert.All(ClinicalTool.Dispatcher.Verbs, verb => Assert.Contains(verb.Name, output, StringComparison.Ordinal));
        Assert.Contains("score", output, StringComparison.Ordinal);
        Assert.DoesNotContain("train", output, StringComparison.Ordinal);
    }

    [Fact]
    public void VerbWithBadOption_ExitsWith1AndShowsItsUsage()
    {
        (int code, _, string error) = Cli.Run("inspect", "--frobnicate");

        Assert.Equal(1, code);
        Assert.Contains("usage: sleepscore inspect <file>", error, StringComparison.Ordinal);
    }
}

/// <summary>Runs the dispatcher in-process with captured output.</summary>
internal static class Cli
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        StringWriter output = new();
        StringWriter error = new();
        int code = ClinicalTool.Dispatcher.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
