using Dapper;

using Microsoft.Data.Sqlite;

using SleepScoring.Api.Storage;
using SleepScoring.Tests.Common;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>Versioned migrations from schemas/sql: applied once, recorded, WAL journal.</summary>
public sealed class MigratorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-migrate-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void EmbeddedMigrations_AreExactlyTheFilesInSchemasSql()
    {
        string[] files = [.. Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "schemas", "sql"), "*.sql").Select(f => "migrations/" + Path.GetFileName(f)).Order()];

        Assert.Equal(files, Migrator.Migrations.Select(m => m.Name).Order());
        // Numbered from 1, each number once; ranges are reserved per line of work (0002–0009, 0010–0019, …), so gaps are allowed.
        int[] versions = [.. Migrator.Migrations.Select(m => m.Version)];
        Assert.Equal(1, versions[0]);
        Assert.Equal(versions.Distinct().Order(), versions);
    }

    [Fact]
    public async Task Migrate_AppliesOnce_RecordsVersions_AndUsesWal()
    {
        var database = new Database(Path.Combine(directory, "test.db"));

        int first = await Migrator.MigrateAsync(database);
        int second = await Migrator.MigrateAsync(database);

        Assert.Equal(Migrator.Migrations.Count, first);
        Assert.Equal(0, second);
        await using SqliteConnection c = await database.OpenAsync();
        Assert.Equal(Migrator.Migrations.Select(m => (long)m.Version), await c.QueryAsync<long>("SELECT version FROM schema_version ORDER BY version"));
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        string[] tables = [.. await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")];
        foreach (string table in new[] { "api_keys", "studies", "jobs", "epochs", "stage_corrections", "idempotency_keys", "callback_deliveries" })
        {
            Assert.Contains(table, tables);
        }
    }
}
