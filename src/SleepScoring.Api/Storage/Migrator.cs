using Dapper;

using Microsoft.Data.Sqlite;

namespace SleepScoring.Api.Storage;

/// <summary>
/// Applies the numbered SQL files of <c>schemas/sql/</c> (embedded in the assembly) that the
/// database has not seen, each in its own transaction, and records them in <c>schema_version</c>.
/// </summary>
public static class Migrator
{
    private const string Prefix = MigrationFiles.Sqlite;

    /// <summary>The embedded migrations, in version order.</summary>
    public static IReadOnlyList<(int Version, string Name)> Migrations { get; } = MigrationFiles.List(Prefix);

    /// <summary>Switches the file to WAL and applies the pending migrations; returns how many were applied.</summary>
    public static async Task<int> MigrateAsync(Database database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using SqliteConnection connection = await database.OpenCreatingAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)").ConfigureAwait(false);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_version").ConfigureAwait(false)).ToHashSet();

        // A migration that rebuilds a table (SQLite's way to change a constraint) drops the old one;
        // with foreign keys on, that would cascade into its children. So they are off while migrating
        // (the pragma cannot change inside a transaction) and checked before each commit.
        await connection.ExecuteAsync("PRAGMA foreign_keys = OFF;").ConfigureAwait(false);
        int count = 0;
        foreach ((int version, string name) in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            string sql = MigrationFiles.Read(name);
            await using SqliteTransaction transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(sql, transaction: transaction).ConfigureAwait(false);
            long broken = (await connection.QueryAsync("PRAGMA foreign_key_check", transaction: transaction).ConfigureAwait(false)).LongCount();
            if (broken > 0)
            {
                throw new InvalidOperationException($"Migration {name} leaves {broken} row(s) whose foreign key points nowhere; it was rolled back.");
            }

            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name = name[Prefix.Length..], at = StoredTime.Format(database.Time.GetUtcNow()) },
                transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }
}
