namespace SleepScoring.Cli.Verbs;

/// <summary><c>sleepscore bench edf</c>: decode throughput of generated nights against a plain file read.</summary>
internal sealed class BenchEdfVerb : IVerb
{
    public string Name => "bench edf";

    public string Arguments => "[--repetitions N] [--keep]";

    public string Summary => "benchmark EDF decoding (MB/s) against File.ReadAllBytes of the same files";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        throw new UsageException("not yet available");
    }
}