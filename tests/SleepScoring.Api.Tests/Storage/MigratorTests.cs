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
        int[] versions = [.. Migrator.Migrations.Select(m => m.Version)];
        Assert.Equal(1, versions[0]);
        Assert.Equal(versions.Length, versions.Distinct().Count()); // ranges are handed out per issue, so gaps are allowed; twins are not
    }

    [Fact]
    public async Task Version2_RebuildsStudiesAndIdempotencyKeys_KeepingEveryRowAndItsChildren()
    {
        var database = new Database(Path.Combine(directory, "v1.db"));
        await using (SqliteConnection c = await database.OpenCreatingAsync())
        {
            await AtVersionOneAsync(c);
            await c.ExecuteAsync(
                """
                INSERT INTO studies (id, sha256, status, size_bytes, uploaded_at, uploaded_by, deidentified, channel_mappings, edf_warnings, epoch_count)
                VALUES ('st_1', 'abc', 'scored', 10, '2024-01-01T00:00:00Z', 'key_1', 1, '[]', '[]', 2);
                INSERT INTO jobs (study_id, status, attempts, next_attempt_at, created_at) VALUES ('st_1', 'done', 1, 'x', 'x');
                INSERT INTO study_uploaders VALUES ('st_1', 'key_1', 'x');
                INSERT INTO epochs VALUES ('st_1', 0, 'W', 'N1', '{}'), ('st_1', 1, 'N2', NULL, '{}');
                INSERT INTO idempotency_keys VALUES ('key_1', 'order-1', 'st_1', 'x');
                """);
        }

        Assert.Equal(Migrator.Migrations.Count - 1, await Migrator.MigrateAsync(database));

        await using SqliteConnection after = await database.OpenAsync();
        Assert.Equal(("abc", ""), await after.QuerySingleAsync<(string, string)>("SELECT sha256, request_sha256 FROM studies WHERE id = 'st_1'"));
        Assert.Equal(2, await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM epochs WHERE study_id = 'st_1'"));
        Assert.Equal(1, await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE study_id = 'st_1' AND interruptions = 0"));
        Assert.Equal(1, await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM study_uploaders"));
        Assert.Equal(("done", "st_1"), await after.QuerySingleAsync<(string, string)>("SELECT state, study_id FROM idempotency_keys"));
        // The children still follow their study: deleting it cascades as before.
        await after.ExecuteAsync("DELETE FROM studies WHERE id = 'st_1'");
        Assert.Equal(0, await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM epochs"));
        // And the same file may now be two studies.
        await after.ExecuteAsync(
            """
            INSERT INTO studies (id, sha256, request_sha256, status, size_bytes, uploaded_at, uploaded_by, deidentified, channel_mappings, edf_warnings)
            VALUES ('st_a', 'same', 'r1', 'queued', 1, 'x', 'key_1', 1, '[]', '[]'), ('st_b', 'same', 'r2', 'queued', 1, 'x', 'key_2', 1, '[]', '[]')
            """);
    }

    [Fact]
    public async Task Version23_TurnsTheOldClassNameErrorTypes_IntoStableCodes()
    {
        var database = new Database(Path.Combine(directory, "v1-failed.db"));
        await using (SqliteConnection c = await database.OpenCreatingAsync())
        {
            await AtVersionOneAsync(c);
            (string Id, string Type, string Detail)[] old =
            [
                ("st_edf", "EdfFormatException", "header field 'number of signals' at offset 252 is not a number"),
                ("st_montage", "MontageException", "The study has no EEG signal"),
                ("st_short", "StudyTooShortException", "The recording lasts 10 s"),
                ("st_lights", "ArgumentException", "Lights-off (120 s) must be ≥ 0 and before lights-on (60 s). (Parameter 'off')"),
                ("st_bug", "InvalidOperationException", "Sequence contains no elements"),
                ("st_io", "TransientFailure", "gave up after 8 attempts: storage error (IOException) while reading or writing the study's files"),
                ("st_db", "TransientFailure", "gave up after 8 attempts: database error while recording the study"),
                ("st_killed", "Interrupted", "the process stopped while scoring this study 3 times"),
            ];
            foreach ((string id, string type, string detail) in old)
            {
                await c.ExecuteAsync(
                    "INSERT INTO studies (id, sha256, status, size_bytes, uploaded_at, uploaded_by, deidentified, channel_mappings, edf_warnings, error_type, error_detail) VALUES (@id, @id, 'failed', 10, 'x', 'key_1', 1, '[]', '[]', @type, @detail)",
                    new { id, type, detail });
            }
        }

        await Migrator.MigrateAsync(database);

        await using SqliteConnection after = await database.OpenAsync();
        Dictionary<string, string> codes = (await after.QueryAsync<(string Id, string Type)>("SELECT id, error_type FROM studies")).ToDictionary(r => r.Id, r => r.Type);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["st_edf"] = "edf-format",
                ["st_montage"] = "montage",
                ["st_short"] = "duration",
                ["st_lights"] = "scoring-input",
                ["st_bug"] = "internal",
                ["st_io"] = "storage",
                ["st_db"] = "database",
                ["st_killed"] = "interrupted",
            },
            codes);
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

    /// <summary>The schema as migration 0001 left it, recorded as version 1, for the upgrade tests.</summary>
    private static async Task AtVersionOneAsync(SqliteConnection c)
    {
        await c.ExecuteAsync(File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "schemas", "sql", "0001_initial.sql")));
        await c.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL); INSERT INTO schema_version VALUES (1, '0001_initial.sql', 'x')");
    }
}
