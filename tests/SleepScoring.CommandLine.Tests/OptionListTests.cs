namespace SleepScoring.CommandLine.Tests;

public sealed class OptionListTests
{
    private static OptionList Parse(params string[] args) =>
        OptionList.Parse(args, ["--out", "--count", "--rate"], ["--json"], repeatable: ["--map"], maxPositionals: 1);

    [Fact]
    public void Options_flags_repeatables_and_a_positional_in_any_order()
    {
        OptionList options = Parse("--map", "A=B", "study.edf", "--json", "--out", "x.json", "--map", "C=D");

        Assert.Equal("study.edf", options.Positional(0, "the study"));
        Assert.Equal("x.json", options.Required("--out"));
        Assert.True(options.Has("--json"));
        Assert.Equal(["A=B", "C=D"], options.All("--map"));
        Assert.Null(options.Optional("--count"));
        Assert.Empty(Parse().All("--map"));
    }

    [Theory]
    [InlineData(new[] { "--frobnicate" }, "unknown argument '--frobnicate'")]
    [InlineData(new[] { "a.edf", "b.edf" }, "unknown argument 'b.edf'")]
    [InlineData(new[] { "--out" }, "option '--out' needs a value")]
    [InlineData(new[] { "--out", "a", "--out", "b" }, "option '--out' given twice")]
    public void Malformed_arguments_are_usage_errors_naming_the_argument(string[] args, string expected)
    {
        UsageException error = Assert.Throws<UsageException>(() => Parse(args));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_missing_required_option_or_positional_is_named()
    {
        Assert.Equal("option '--out' is required", Assert.Throws<UsageException>(() => Parse().Required("--out")).Message);
        Assert.Equal("the study is required", Assert.Throws<UsageException>(() => Parse().Positional(0, "the study")).Message);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("-3", false)]
    [InlineData("2.5", false)]
    [InlineData("7", true)]
    public void Positive_integers_are_checked(string text, bool valid)
    {
        OptionList options = Parse("--count", text);

        if (valid)
        {
            Assert.Equal(7, options.PositiveOr("--count", 1));
        }
        else
        {
            Assert.Contains($"(got '{text}')", Assert.Throws<UsageException>(() => options.PositiveOr("--count", 1)).Message, StringComparison.Ordinal);
        }

        Assert.Equal(5, Parse().PositiveOr("--count", 5));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("-1")]
    [InlineData("abc")]
    public void Numbers_must_be_finite_and_accepted(string text)
    {
        UsageException error = Assert.Throws<UsageException>(() => Parse("--rate", text).NumberOr("--rate", 1, r => r > 0, "a rate in Hz"));

        Assert.Equal($"option '--rate' must be a rate in Hz (got '{text}')", error.Message);
    }

    [Fact]
    public void Numbers_use_the_invariant_culture()
    {
        Assert.Equal(0.25, Parse("--rate", "0.25").NumberOr("--rate", 1, r => r > 0, "a rate"));
        Assert.Equal(3UL, Parse("--count", "3").UnsignedOr("--count", 9));
        Assert.Equal(0, Parse("--count", "0").NonNegativeOr("--count", 9));
    }
}
