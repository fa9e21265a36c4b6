using SleepScoring.Cli.Verbs;
using SleepScoring.Edf;

namespace SleepScoring.Cli;

/// <summary>
/// Entry point of the <c>sleepscore</c> tool: picks the verb named by the first argument(s).
/// Exit codes: 0 success, 1 usage error, 2 unreadable input (one line on stderr, no stack trace).
/// </summary>
internal static class CommandLine
{
    public const int Success = 0;
    public const int UsageError = 1;
    public const int InputError = 2;

    // One line per verb.
    private static readonly IVerb[] s_verbs =
    [
        new InspectVerb(),
        new BenchEdfVerb(),
        new SynthesizeVerb(),
        new BenchSynthesizeVerb(),
        new BenchConditionVerb(),
        new Bench.BenchRenderVerb(),
        new ScoreVerb(),
        new Bench.BenchModelVerb(),
        new Bench.BenchScoreVerb(),
        new Bench.BenchApiVerb(),
        new TrainVerb(),
        new EvaluateVerb(),
        new ExportVerb(),
        new CardVerb(),
        new AdaptVerb(),
        new Bench.BenchSitesVerb(),
    ];

    public static IReadOnlyList<IVerb> Verbs => s_verbs;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 1 && args[0] is "help" or "--help" or "-h")
        {
            output.Write(Usage());
            return Success;
        }

        IVerb? verb = Find(args);
        if (verb is null)
        {
            error.WriteLine(args.Count == 0 ? "sleepscore: no verb given" : $"sleepscore: unknown verb '{string.Join(' ', args.Take(2))}'");
            error.Write(Usage());
            return UsageError;
        }

        string[] rest = [.. args.Skip(verb.Name.Split(' ').Length)];
        try
        {
            return verb.Run(rest, output);
        }
        catch (UsageException e)
        {
            error.WriteLine($"sleepscore {verb.Name}: {e.Message}");
            error.WriteLine($"usage: sleepscore {verb.Name} {verb.Arguments}");
            return UsageError;
        }
        catch (Exception e) when (IsInputError(e))
        {
            error.WriteLine($"sleepscore {verb.Name}: {OneLine(e.Message)}");
            return InputError;
        }
    }

    /// <summary>Errors a user's file or model directory causes: one line, exit code 2.</summary>
    private static bool IsInputError(Exception e) => e is EdfFormatException or IOException or UnauthorizedAccessException
        or Analysis.Montage.MontageException or Analysis.Conditioning.StudyDurationException or Inference.ModelFileException;

    /// <summary>The usage text listing every verb.</summary>
    public static string Usage()
    {
        StringWriter text = new();
        text.WriteLine("usage: sleepscore <verb> [arguments]");
        text.WriteLine();
        foreach (IVerb verb in s_verbs)
        {
            text.WriteLine($"  sleepscore {verb.Name} {verb.Arguments}");
            text.WriteLine($"      {verb.Summary}");
        }

        text.WriteLine();
        text.WriteLine("exit codes: 0 success, 1 usage error, 2 unreadable input");
        return text.ToString();
    }

    /// <summary>The verb whose (possibly multi-word) name the arguments start with; the longest name wins.</summary>
    private static IVerb? Find(IReadOnlyList<string> args)
    {
        return s_verbs
            .Where(v => v.Name.Split(' ') is var words && words.Length <= args.Count && words.Select((w, i) => w == args[i]).All(match => match))
            .MaxBy(v => v.Name.Length);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
