using Microsoft.Data.Sqlite;

using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.PostgreSql;

namespace SleepScoring.Api.Tests.Support;

/// <summary>A migrated, empty SQLite database in a temp file, deleted with its -wal and -shm files on dispose (a store contract's SQLite side).</summary>
public sealed class MigratedSqliteFile(string name) : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"sleepscoring-{name}-{Guid.NewGuid():N}.db");

    public async Task<Database> CreateAsync()
    {
        var database = new Database(file);
        await Migrator.MigrateAsync(database);
        return database;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (string f in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(f);
        }
    }
}

/// <summary>Migrated, empty databases on the tests' PostgreSQL, one per call, their pools closed on dispose (a store contract's PostgreSQL side).</summary>
public sealed class MigratedPostgres(PostgresServer server) : IAsyncDisposable
{
    private readonly List<PostgresDatabase> created = [];

    public async Task<PostgresDatabase> CreateAsync()
    {
        var database = new PostgresDatabase(await server.CreateDatabaseAsync());
        created.Add(database);
        await PostgresMigrator.MigrateAsync(database);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (PostgresDatabase database in created)
        {
            await database.DisposeAsync();
        }
    }
}
