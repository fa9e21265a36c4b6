namespace SleepScoring.CommandLine;

/// <summary>One command of a SleepScoring tool. Register a new verb with one line in the tool's verb list.</summary>
public interface IVerb
{
    /// <summary>The words that select the verb, e.g. <c>inspect</c> or <c>bench edf</c>.</summary>
    string Name { get; }

    /// <summary>Argument synopsis shown after the name in the usage text, e.g. <c>&lt;file&gt; [--json]</c>.</summary>
    string Arguments { get; }

    /// <summary>One line saying what the verb does.</summary>
    string Summary { get; }

    /// <summary>Runs the verb with the arguments after its name; returns the exit code.</summary>
    /// <exception cref="UsageException">The arguments are wrong (exit code 1).</exception>
    int Run(IReadOnlyList<string> args, TextWriter output);
}

/// <summary>Wrong command-line arguments: the dispatcher prints the message and the verb's usage and exits with 1.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsageException()
    {
    }
}
