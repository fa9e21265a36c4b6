using System.Data.Common;

using Npgsql;

using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage.PostgreSql;

/// <summary>
/// Opens pooled connections to the PostgreSQL server that the service nodes share. Unlike SQLite's
/// file, the server's database is created by its operator; the service only migrates its schema.
/// </summary>
public sealed class PostgresDatabase : ISqlDatabase, IAsyncDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private readonly NpgsqlDataSource source;

    /// <param name="connectionString">Npgsql's connection string.</param>
    /// <param name="time">The clock of the times it records itself (the migrations'); the system's when null.</param>
    public PostgresDatabase(string connectionString, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        source = NpgsqlDataSource.Create(connectionString);
        Time = time ?? TimeProvider.System;
    }

    /// <summary>The clock of the times it records itself.</summary>
    public TimeProvider Time { get; }

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    /// <summary>An open connection from the pool.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    async Task<DbConnection> ISqlDatabase.OpenAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken).ConfigureAwait(false);

    public Task<int> MigrateAsync(CancellationToken cancellationToken = default) => PostgresMigrator.MigrateAsync(this, cancellationToken);

    /// <summary>
    /// Null when the server answers within two seconds and the session may write (not a read-only
    /// standby); otherwise why not, without the connection string (it may hold a password).
    /// </summary>
    public async Task<string?> WriteProblemAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await using NpgsqlConnection c = await OpenAsync(timeout.Token).ConfigureAwait(false);
            await using var probe = new NpgsqlCommand("SELECT current_setting('transaction_read_only')", c);
            return await probe.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false) is "off"
                ? null
                : "the PostgreSQL server is read-only (a standby?)";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the PostgreSQL server did not answer within {ProbeTimeout.TotalSeconds:0} s";
        }
        catch (PostgresException e)
        {
            return $"the PostgreSQL server refused the check (SQLSTATE {e.SqlState})";
        }
        catch (NpgsqlException e)
        {
            return $"the PostgreSQL server cannot be reached ({e.InnerException?.GetType().Name ?? e.GetType().Name})";
        }
    }

    public ValueTask DisposeAsync() => source.DisposeAsync();
}
