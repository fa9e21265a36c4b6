using SleepScoring.CommandLine;
using SleepScoring.Lab.Bench;

namespace SleepScoring.Lab.Tests.Bench;

public sealed class TopologyRunTests
{
    [Fact]
    public void Parse_NamesEachConfiguration_AndItsNodes()
    {
        IReadOnlyList<TopologyRun> runs = TopologyRun.Parse("sqlite, postgresql,postgresql-3", rounds: 1);

        Assert.Equal([(false, 1), (true, 1), (true, 3)], runs.Select(r => (r.PostgreSql, r.Nodes)));
        Assert.Equal(["1 node, SQLite", "1 node, PostgreSQL", "3 nodes, PostgreSQL"], runs.Select(r => r.Description));
    }

    [Fact]
    public void Parse_SecondRound_RunsInReverseOrder()
    {
        IReadOnlyList<TopologyRun> runs = TopologyRun.Parse("sqlite,postgresql,postgresql-3", rounds: 3);

        Assert.Equal(
            ["sqlite", "postgresql", "postgresql-3", "postgresql-3", "postgresql", "sqlite", "sqlite", "postgresql", "postgresql-3"],
            runs.Select(r => r.Name));
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("postgresql-0")]
    [InlineData("postgresql-x")]
    [InlineData("sqlite-2")]
    [InlineData(",")]
    public void Parse_RefusesWhatItCannotStart_NamingIt(string topology)
    {
        UsageException e = Assert.Throws<UsageException>(() => TopologyRun.Parse(topology, rounds: 1));

        Assert.Contains("--topology", e.Message, StringComparison.Ordinal);
    }
}
