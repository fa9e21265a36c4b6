using Dapper;

using Npgsql;

using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.PostgreSql;
using SleepScoring.Api.Tests.Support;
using SleepScoring.Tests.Common;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>PostgreSQL's migrations: mirror SQLite's, applied once, and once only when nodes start together.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMigratorTests(PostgresServer server)
{
    [Fact]
    public void EmbeddedMigrations_AreTheFilesInSchemasSqlPostgresql_NamedAsSqlitesOneForOne()
    {
        string folder = Path.Combine(SharedData.RepositoryRoot, "schemas", "sql");
        string[] files = [.. Directory.GetFiles(Path.Combine(folder, "postgresql"), "*.sql").Select(Path.GetFileName).Order()!];
        string[] sqlite = [.. Directory.GetFiles(folder, "*.sql").Select(Path.GetFileName)!];

        Assert.Equal(files.Select(f => "migrations-postgresql/" + f), PostgresMigrator.Migrations.Select(m => m.Name).Order());
        Assert.Equal(sqlite.Order(), files); // a new SQLite migration needs its PostgreSQL twin
        Assert.Equal(1, PostgresMigrator.Migrations[0].Version);
    }

    [SkippableFact]
    public async Task Migrate_CreatesTheSchemaOnce()
    {
        await using var database = new PostgresDatabase(await server.CreateDatabaseAsync());

        Assert.Equal(PostgresMigrator.Migrations.Count, await PostgresMigrator.MigrateAsync(database));
        Assert.Equal(0, await PostgresMigrator.MigrateAsync(database));

        await using NpgsqlConnection c = await database.OpenAsync();
        string[] tables = [.. await c.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")];
        Assert.Equal(["api_keys", "callback_deliveries", "callback_outbox", "epochs", "idempotency_keys", "jobs", "schema_version", "sign_in_links", "stage_corrections", "studies", "study_signoffs", "study_uploaders"], tables);
        Assert.Equal(PostgresMigrator.Migrations.Count, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_version"));
        // Version 2 dropped the uniqueness of the file hash: two studies of one file.
        await c.ExecuteAsync(
            """
            INSERT INTO studies (id, sha256, request_sha256, status, size_bytes, uploaded_at, uploaded_by, deidentified, channel_mappings, edf_warnings)
            VALUES ('st_1', 'abc', 'r1', 'queued', 1, 'x', 'k', TRUE, '[]', '[]'), ('st_2', 'abc', 'r2', 'queued', 1, 'x', 'k', TRUE, '[]', '[]')
            """);
    }

    [SkippableFact]
    public async Task StageCorrections_AreAppendOnly()
    {
        await using var database = new PostgresDatabase(await server.CreateDatabaseAsync());
        await PostgresMigrator.MigrateAsync(database);
        await using NpgsqlConnection c = await database.OpenAsync();
        await c.ExecuteAsync("INSERT INTO stage_corrections (study_id, epoch, old_stage, new_stage, corrected_by, corrected_at) VALUES ('st_1', 3, 'W', 'N1', 'k', 'x')");

        var update = await Assert.ThrowsAsync<PostgresException>(() => c.ExecuteAsync("UPDATE stage_corrections SET new_stage = 'N2'"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => c.ExecuteAsync("DELETE FROM stage_corrections"));

        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TwoNodesStartingTogether_MigrateOnce()
    {
        string connectionString = await server.CreateDatabaseAsync();
        await using var first = new PostgresDatabase(connectionString);
        await using var second = new PostgresDatabase(connectionString);
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();

        // Hold the lock until both nodes wait for it, so that they really start together.
        await holder.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = PostgresMigrator.LockKey });
        Task<int>[] nodes = [PostgresMigrator.MigrateAsync(first), PostgresMigrator.MigrateAsync(second)];
        for (int i = 0; i < 600 && await holder.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") < 2; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2L, await holder.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"));
        await holder.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = PostgresMigrator.LockKey });
        int[] applied = await Task.WhenAll(nodes);

        Assert.Equal([0, PostgresMigrator.Migrations.Count], applied.Order());
        Assert.Equal(PostgresMigrator.Migrations.Count, await holder.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_version"));
    }
}
