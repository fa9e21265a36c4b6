using SleepScoring.CommandLine;

namespace SleepScoring.Lab.Tests.Verbs;

public sealed class BaselineVerbTests
{
    [Fact]
    public void An_unknown_derivation_is_a_usage_error_naming_it()
    {
        var error = new StringWriter();
        int code = LabTool.Dispatcher.Run(["baseline", "--features", "f", "--derivations", "both,c3_m2"], new StringWriter(), error);
        Assert.Equal(VerbDispatcher.UsageError, code);
        Assert.Contains("'c3_m2'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_feature_is_a_usage_error_naming_it()
    {
        var error = new StringWriter();
        int code = LabTool.Dispatcher.Run(["baseline", "--features", "f", "--silent-features", "gamma,spindle"], new StringWriter(), error);
        Assert.Equal(VerbDispatcher.UsageError, code);
        Assert.Contains("'spindle'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_feature_folder_is_an_input_error_naming_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), "sleepscore-no-such-features-" + Guid.NewGuid().ToString("N"));
        var error = new StringWriter();
        int code = LabTool.Dispatcher.Run(["baseline", "--features", missing, "--derivations", "fpz_cz"], new StringWriter(), error);
        Assert.Equal(VerbDispatcher.InputError, code);
        Assert.Contains(missing, error.ToString(), StringComparison.Ordinal);
    }
}
