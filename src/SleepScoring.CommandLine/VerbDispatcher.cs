namespace SleepScoring.CommandLine;

/// <summary>
/// Entry point of a SleepScoring tool (<c>sleepscore</c>, <c>sleepscore-lab</c>): picks the verb
/// named by the first argument(s) and turns what a user can get wrong into one line and an exit
/// code. Exit codes: 0 success, 1 usage error, 2 unreadable input (one line on stderr, no stack trace).
/// </summary>
/// <param name="tool">The executable's name, as the usage text shows it.</param>
/// <param name="verbs">The tool's verbs, in the order the usage lists them.</param>
/// <param name="isInputError">Which exceptions a user's file, folder or model causes (exit 2); anything else is a bug and propagates.</param>
public sealed class VerbDispatcher(string tool, IReadOnlyList<IVerb> verbs, Func<Exception, bool> isInputError)
{
    public const int Success = 0;
    public const int UsageError = 1;
    public const int InputError = 2;

    /// <summary>The tool's verbs.</summary>
    public IReadOnlyList<IVerb> Verbs { get; } = verbs;

    /// <summary>Runs with the process's console.</summary>
    public int Run(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the verb the arguments name; <c>help</c>, <c>--help</c> or <c>-h</c> alone print the usage.</summary>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count == 1 && args[0] is "help" or "--help" or "-h")
        {
            output.Write(Usage());
            return Success;
        }

        IVerb? verb = Find(args);
        if (verb is null)
        {
            error.WriteLine(args.Count == 0 ? $"{tool}: no verb given" : $"{tool}: unknown verb '{string.Join(' ', args.Take(2))}'");
            error.Write(Usage());
            return UsageError;
        }

        string[] rest = [.. args.Skip(verb.Name.Split(' ').Length)];
        if (rest is ["--help"] or ["-h"])
        {
            output.WriteLine($"usage: {tool} {verb.Name} {verb.Arguments}");
            output.WriteLine($"    {verb.Summary}");
            return Success;
        }

        try
        {
            return verb.Run(rest, output);
        }
        catch (UsageException e)
        {
            error.WriteLine($"{tool} {verb.Name}: {e.Message}");
            error.WriteLine($"usage: {tool} {verb.Name} {verb.Arguments}");
            return UsageError;
        }
        catch (Exception e) when (isInputError(e))
        {
            error.WriteLine($"{tool} {verb.Name}: {e.Message.ReplaceLineEndings(" ")}");
            return InputError;
        }
    }

    /// <summary>The usage text listing every verb.</summary>
    public string Usage()
    {
        StringWriter text = new();
        text.WriteLine($"usage: {tool} <verb> [arguments]");
        text.WriteLine();
        foreach (IVerb verb in Verbs)
        {
            text.WriteLine($"  {tool} {verb.Name} {verb.Arguments}");
            text.WriteLine($"      {verb.Summary}");
        }

        text.WriteLine();
        text.WriteLine($"'{tool} <verb> --help' shows one verb; exit codes: 0 success, 1 usage error, 2 unreadable input");
        return text.ToString();
    }

    /// <summary>The verb whose (possibly multi-word) name the arguments start with; the longest name wins.</summary>
    private IVerb? Find(IReadOnlyList<string> args) => Verbs
        .Where(v => v.Name.Split(' ') is var words && words.Length <= args.Count && words.Select((w, i) => w == args[i]).All(match => match))
        .MaxBy(v => v.Name.Length);
}
