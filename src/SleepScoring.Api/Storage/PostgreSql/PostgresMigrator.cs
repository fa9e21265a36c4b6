using Dapper;

using Npgsql;

namespace SleepScoring.Api.Storage.PostgreSql;

/// <summary>
/// Applies the numbered files of <c>schemas/sql/postgresql/</c> that the database has not seen, each
/// in its own transaction, recorded in <c>schema_version</c>. Nodes starting together serialize on a
/// session advisory lock, so the first applies the migrations and the others find them applied.
/// </summary>
public static class PostgresMigrator
{
    /// <summary>The advisory lock key: the bytes of "SlpScore" (any constant no other application of the database uses).</summary>
    public const long LockKey = 0x536C7053636F7265;

    /// <summary>The embedded migrations, in version order.</summary>
    public static IReadOnlyList<(int Version, string Name)> Migrations { get; } = MigrationFiles.List(MigrationFiles.PostgreSql);

    /// <summary>Applies the pending migrations; returns how many this call applied (0 when another node did).</summary>
    public static async Task<int> MigrateAsync(PostgresDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using NpgsqlConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Session-level, held across the per-migration transactions; released explicitly and, if this
        // process dies, by the server when the connection closes.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = LockKey }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)").ConfigureAwait(false);
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_version").ConfigureAwait(false)).ToHashSet();
            int count = 0;
            foreach ((int version, string name) in Migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync(MigrationFiles.Read(name), transaction: transaction).ConfigureAwait(false);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name = name[MigrationFiles.PostgreSql.Length..], at = StoredTime.Format(database.Time.GetUtcNow()) },
                    transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                count++;
            }

            return count;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = LockKey }).ConfigureAwait(false);
        }
    }
}
