using SleepScoring.CommandLine;

namespace SleepScoring.Lab.Bench;

/// <summary>One configuration of the service for <c>bench api --topology</c>: SQLite (one node, by design) or PostgreSQL with <see cref="Nodes"/> nodes on one server and one shared folder.</summary>
internal sealed record TopologyRun(string Name, bool PostgreSql, int Nodes)
{
    /// <summary>
    /// The runs of <c>--topology a,b,c</c> (<c>sqlite</c>, <c>postgresql</c>, <c>postgresql-N</c>),
    /// <paramref name="rounds"/> times, every second round in reverse order (a,b,c,c,b,a): a load
    /// that drifts during the run then weighs on each configuration alike.
    /// </summary>
    public static IReadOnlyList<TopologyRun> Parse(string topology, int rounds)
    {
        TopologyRun[] once = [.. topology.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(One)];
        if (once.Length == 0)
        {
            throw new UsageException("--topology needs at least one of sqlite, postgresql, postgresql-N");
        }

        return [.. Enumerable.Range(0, rounds).SelectMany(r => r % 2 == 0 ? once : once.Reverse())];
    }

    private static TopologyRun One(string name) => name switch
    {
        "sqlite" => new TopologyRun(name, PostgreSql: false, Nodes: 1),
        "postgresql" => new TopologyRun(name, PostgreSql: true, Nodes: 1),
        _ when name.StartsWith("postgresql-", StringComparison.Ordinal) && int.TryParse(name["postgresql-".Length..], out int nodes) && nodes is >= 1 and <= 16
            => new TopologyRun(name, PostgreSql: true, Nodes: nodes),
        _ => throw new UsageException($"--topology: '{name}' is not sqlite, postgresql or postgresql-N (N nodes, 1–16)"),
    };

    /// <summary>How the report names it.</summary>
    public string Description => PostgreSql ? $"{Nodes} node{(Nodes == 1 ? "" : "s")}, PostgreSQL" : "1 node, SQLite";
}
