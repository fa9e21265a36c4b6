namespace SleepScoring.CommandLine.Tests;

public sealed class VerbDispatcherTests
{
    private static readonly VerbDispatcher Tool = new("tool", [new EchoVerb("show"), new EchoVerb("bench edf"), new EchoVerb("bench")], e => e is FileNotFoundException);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        StringWriter output = new(), error = new();
        int code = Tool.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void The_longest_matching_verb_name_wins_and_gets_the_rest()
    {
        (int code, string output, _) = Run("bench", "edf", "--x");

        Assert.Equal(0, code);
        Assert.Equal("bench edf: --x", output.Trim());
    }

    [Fact]
    public void Usage_errors_exit_1_with_the_verbs_usage()
    {
        (int code, _, string error) = Run("show", "fail-usage");

        Assert.Equal(VerbDispatcher.UsageError, code);
        Assert.Contains("tool show: bad argument", error, StringComparison.Ordinal);
        Assert.Contains("usage: tool show <anything>", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_errors_exit_2_on_one_line_and_others_propagate()
    {
        (int code, _, string error) = Run("show", "fail-input");

        Assert.Equal(VerbDispatcher.InputError, code);
        Assert.Equal("tool show: no such file here", error.Trim());
        Assert.Throws<InvalidOperationException>(() => Run("show", "fail-bug"));
    }

    [Fact]
    public void Help_lists_every_verb_and_a_verb_explains_itself()
    {
        (int code, string output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.All(Tool.Verbs, v => Assert.Contains($"tool {v.Name} <anything>", output, StringComparison.Ordinal));

        (code, output, _) = Run("bench", "edf", "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("usage: tool bench edf <anything>", output, StringComparison.Ordinal);
    }

    [Fact]
    public void No_or_unknown_verb_exits_1_with_the_usage()
    {
        Assert.Equal(1, Run().Code);
        (int code, _, string error) = Run("frobnicate", "now");
        Assert.Equal(1, code);
        Assert.Contains("unknown verb 'frobnicate now'", error, StringComparison.Ordinal);
    }

    private sealed class EchoVerb(string name) : IVerb
    {
        public string Name => name;

        public string Arguments => "<anything>";

        public string Summary => "echoes its arguments";

        public int Run(IReadOnlyList<string> args, TextWriter output)
        {
            switch (args.FirstOrDefault())
            {
                case "fail-usage": throw new UsageException("bad argument");
                case "fail-input": throw new FileNotFoundException("no such file\nhere");
                case "fail-bug": throw new InvalidOperationException("a bug");
            }

            output.WriteLine($"{Name}: {string.Join(' ', args)}");
            return 0;
        }
    }
}
