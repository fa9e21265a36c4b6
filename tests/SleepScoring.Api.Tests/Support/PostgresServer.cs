using Npgsql;

using SleepScoring.Testbed;

namespace SleepScoring.Api.Tests.Support;

/// <summary>
/// The PostgreSQL the tests share: a <see cref="ThrowawayPostgres"/> (Debian's <c>postgresql</c>
/// package, initdb + pg_ctl in a temp folder on a free loopback port, as the <c>postgres</c> user
/// under root), one database per test class or test. Without the binaries the tests that need it
/// skip (<see cref="Require"/>) with a message naming the package.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private ThrowawayPostgres? server;
    private int databases;

    /// <summary>Why the server is not running (binaries missing, or start failed), or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port => server?.Port ?? 0;

    /// <summary>Connection string of the server's maintenance database.</summary>
    public string AdminConnectionString => server?.ConnectionString("postgres") ?? throw new InvalidOperationException(Unavailable);

    public async Task InitializeAsync()
    {
        if (ThrowawayPostgres.FindBinaries() is null)
        {
            Unavailable = ThrowawayPostgres.MissingPackage + " to run the PostgreSQL tests.";
            return;
        }

        try
        {
            server = await ThrowawayPostgres.StartAsync();
        }
        catch (InvalidOperationException e)
        {
            Unavailable = $"PostgreSQL from the Debian package 'postgresql' could not be started: {e.Message}";
        }
    }

    /// <summary>Skips the calling test when the server is not running, saying why.</summary>
    public void Require() => Skip.If(Unavailable is not null, Unavailable);

    /// <summary>Creates a new empty database (one per test class or test) and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync()
    {
        Require();
        return server!.CreateDatabaseAsync($"test_{Interlocked.Increment(ref databases)}_{Guid.NewGuid():N}"[..30]);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>The tests that share one PostgreSQL server (started once, each class in its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
