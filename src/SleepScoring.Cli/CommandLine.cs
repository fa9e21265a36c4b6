namespace SleepScoring.Cli;

/// <summary>Entry point of the <c>sleepscore</c> tool: dispatches the first argument to a verb.</summary>
internal static class CommandLine
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("usage: sleepscore <verb> …");
        return args.Length == 0 ? 1 : 2;
    }
}
