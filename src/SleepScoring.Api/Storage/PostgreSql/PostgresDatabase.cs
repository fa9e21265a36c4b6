using Npgsql;

namespace SleepScoring.Api.Storage.PostgreSql;

/// <summary>
/// Opens pooled connections to the PostgreSQL server that the service nodes share. Unlike SQLite's
/// file, the server's database is created by its operator; the service only migrates its schema.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource source;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        source = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>An open connection from the pool.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => source.DisposeAsync();
}
