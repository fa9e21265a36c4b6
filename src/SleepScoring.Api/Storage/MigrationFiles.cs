using System.Globalization;
using System.Reflection;

namespace SleepScoring.Api.Storage;

/// <summary>The numbered SQL files of one provider, embedded in the assembly under a resource prefix.</summary>
internal static class MigrationFiles
{
    /// <summary>SQLite's files: <c>schemas/sql/*.sql</c>.</summary>
    public const string Sqlite = "migrations/";

    /// <summary>PostgreSQL's files: <c>schemas/sql/postgresql/*.sql</c>, numbered as SQLite's.</summary>
    public const string PostgreSql = "migrations-postgresql/";

    /// <summary>The resources under <paramref name="prefix"/>, in version order.</summary>
    public static IReadOnlyList<(int Version, string Name)> List(string prefix) => typeof(MigrationFiles).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
        .Select(n => (Version: int.Parse(n[prefix.Length..].Split('_')[0], CultureInfo.InvariantCulture), Name: n))
        .OrderBy(m => m.Version)
        .ToArray();

    public static string Read(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Migration resource '{name}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
