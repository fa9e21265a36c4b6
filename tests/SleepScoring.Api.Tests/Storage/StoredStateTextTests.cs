using System.Text.RegularExpressions;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage;
using SleepScoring.Tests.Common;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>
/// The stores' SQL takes its status words from the enums' stored text; these must be exactly the
/// words the migrations' CHECK constraints (and defaults) allow, in both providers' migrations.
/// </summary>
public sealed partial class StoredStateTextTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Expected = new()
    {
        ["studies.status"] = StudyStatusText.All,
        ["jobs.status"] = JobStateText.All,
        ["idempotency_keys.state"] = IdempotencyKeyStateText.All,
        ["callback_deliveries.status"] = CallbackDeliveryStatusText.All,
    };

    [Theory]
    [InlineData("")]
    [InlineData("postgresql")]
    public void TheStoredWords_AreThoseTheMigrationsAllow(string provider)
    {
        string folder = Path.Combine(SharedData.RepositoryRoot, "schemas", "sql", provider);
        var checks = Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal)
            .SelectMany(f => ChecksIn(File.ReadAllText(f)).Select(c => (File: Path.GetFileName(f), Check: c)))
            .ToList();

        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), checks.Select(c => c.Check.Column).Distinct().Order(StringComparer.Ordinal));
        foreach ((string file, StateCheck check) in checks)
        {
            Assert.True(
                Expected[check.Column].Order(StringComparer.Ordinal).SequenceEqual(check.Allowed.Order(StringComparer.Ordinal)),
                $"{file}: {check.Column} allows {string.Join(", ", check.Allowed)}; the code stores {string.Join(", ", Expected[check.Column])}");
            if (check.Default is { } value)
            {
                Assert.Contains(value, Expected[check.Column]);
            }
        }
    }

    [Fact]
    public void NoStore_SpellsAStatusWordInItsSql()
    {
        string storage = Path.Combine(SharedData.RepositoryRoot, "src", "SleepScoring.Api", "Storage");
        string[] words = [.. Expected.Values.SelectMany(w => w).Distinct()];
        string[] spelled = [.. Directory.GetFiles(storage, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadLines(f).Select(l => (File: Path.GetFileName(f), Line: l.Trim())))
            .Where(l => !l.Line.StartsWith("//", StringComparison.Ordinal) && words.Any(w => l.Line.Contains($"'{w}'", StringComparison.Ordinal)))
            .Select(l => $"{l.File}: {l.Line}")];

        Assert.True(spelled.Length == 0, "status words spelled in SQL (interpolate the enum's stored text):\n" + string.Join("\n", spelled));
    }

    [Fact]
    public void TheReader_FindsAColumnsCheckAndDefaultUnderItsTable()
    {
        const string Sql = """
            CREATE TABLE jobs_next (
                id INTEGER,
                status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done')),
            """;

        StateCheck check = Assert.Single(ChecksIn(Sql));

        Assert.Equal("jobs.status", check.Column);
        Assert.Equal(["queued", "done"], check.Allowed);
        Assert.Equal("queued", check.Default);
    }

    /// <summary>The status/state columns' IN-list CHECKs of a migration, each under the table last named before it (a rebuild's <c>_next</c> dropped).</summary>
    private static IEnumerable<StateCheck> ChecksIn(string sql)
    {
        foreach (Match m in StateColumnCheck().Matches(sql))
        {
            string table = TableName().Matches(sql[..m.Index]).Last().Groups["table"].Value;
            table = table.EndsWith("_next", StringComparison.Ordinal) ? table[..^"_next".Length] : table;
            string[] allowed = [.. Quoted().Matches(m.Groups["list"].Value).Select(q => q.Groups[1].Value)];
            yield return new StateCheck($"{table}.{m.Groups["column"].Value}", allowed, m.Groups["default"].Success ? m.Groups["default"].Value : null);
        }
    }

    private sealed record StateCheck(string Column, string[] Allowed, string? Default);

    [GeneratedRegex(@"\b(?<column>status|state)\s+TEXT\s+NOT\s+NULL(?:\s+DEFAULT\s+'(?<default>[^']*)')?\s+CHECK\s*\(\s*\k<column>\s+IN\s*\((?<list>[^)]*)\)\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex StateColumnCheck();

    [GeneratedRegex(@"\b(?:CREATE|ALTER)\s+TABLE\s+(?<table>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex TableName();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();
}
