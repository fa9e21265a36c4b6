using System.Data.Common;

using Microsoft.Data.Sqlite;

using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;

/// <summary>
/// Opens connections to the service's SQLite file (WAL journal, foreign keys on, a busy timeout so
/// the worker and request threads wait for each other briefly instead of failing). Only the
/// migrator may create the file: afterwards a missing database is an error (503 at /ready), never
/// a silently empty new one.
/// </summary>
public sealed class Database : ISqlDatabase
{
    private readonly string connectionString;
    private readonly string creatingConnectionString;
    private readonly int busyMilliseconds;

    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long a statement waits for another writer before it fails with SQLITE_BUSY (then a 503 with Retry-After).</param>
    /// <param name="time">The clock of the times it records itself (the migrations'); the system's when null.</param>
    public Database(string path, TimeSpan? busyTimeout = null, TimeProvider? time = null)
    {
        Path = path;
        Time = time ?? TimeProvider.System;
        TimeSpan timeout = busyTimeout ?? TimeSpan.FromSeconds(5);
        busyMilliseconds = (int)timeout.TotalMilliseconds;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        };
        connectionString = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        creatingConnectionString = builder.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The clock of the times it records itself.</summary>
    public TimeProvider Time { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    /// <summary>An open connection with the per-connection pragmas set.</summary>
    /// <exception cref="SqliteException">The file is missing or unreadable (SQLITE_CANTOPEN), or locked beyond the busy timeout.</exception>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(connectionString, cancellationToken);

    async Task<DbConnection> ISqlDatabase.OpenAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken).ConfigureAwait(false);

    public Task<int> MigrateAsync(CancellationToken cancellationToken = default) => Migrator.MigrateAsync(this, cancellationToken);

    /// <summary>
    /// As <see cref="OpenAsync"/>, creating the file when it is missing, owner-only (0600; SQLite
    /// gives its -wal and -shm files the database's mode). For the migrator only.
    /// </summary>
    public Task<SqliteConnection> OpenCreatingAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path))
        {
            using FileStream created = new(Path, OwnerOnly.NewFile(FileMode.CreateNew));
        }

        return OpenAsync(creatingConnectionString, cancellationToken);
    }

    /// <summary>
    /// Null when the database file exists and its write lock can be taken within a quarter second;
    /// otherwise why not. Pooled connections keep working on a deleted file, so the file is looked for.
    /// </summary>
    public async Task<string?> WriteProblemAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path))
        {
            return "the database file is missing";
        }

        try
        {
            await using SqliteConnection c = await OpenAsync(cancellationToken).ConfigureAwait(false);
            // One statement per command: an error of a later statement in one command text is not reported.
            foreach (string statement in new[] { "PRAGMA busy_timeout = 250", "BEGIN IMMEDIATE", "ROLLBACK" })
            {
                using DbCommand probe = c.CreateCommand();
                probe.CommandText = statement;
                probe.CommandTimeout = 1;
                await probe.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
        catch (SqliteException e)
        {
            return e.SqliteErrorCode is 5 or 6 ? "the database is locked by another writer" : $"the database cannot be written (SQLite code {e.SqliteErrorCode})";
        }
    }

    private async Task<SqliteConnection> OpenAsync(string connection, CancellationToken cancellationToken)
    {
        var c = new SqliteConnection(connection);
        try
        {
            await c.OpenAsync(cancellationToken).ConfigureAwait(false);
            using DbCommand pragmas = c.CreateCommand();
            pragmas.CommandText = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busyMilliseconds}; PRAGMA synchronous = NORMAL;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return c;
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
