using Dapper;

using Npgsql;

using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>The test fixture itself: a real server from the Debian package, on loopback, databases kept apart.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [SkippableFact]
    public async Task Server_IsARealPostgreSqlOnLoopback()
    {
        string connectionString = await server.CreateDatabaseAsync();

        await using var c = new NpgsqlConnection(connectionString);
        string version = await c.ExecuteScalarAsync<string>("SHOW server_version") ?? "";
        string address = await c.ExecuteScalarAsync<string>("SELECT host(inet_server_addr())") ?? "";

        Assert.Matches(@"^1[0-9]", version);
        Assert.Equal("127.0.0.1", address);
        Assert.NotEqual(5432, server.Port);
    }

    [SkippableFact]
    public async Task CreatedDatabases_AreSeparate()
    {
        string first = await server.CreateDatabaseAsync();
        string second = await server.CreateDatabaseAsync();
        await using (var c = new NpgsqlConnection(first))
        {
            await c.ExecuteAsync("CREATE TABLE only_here (x int)");
        }

        await using var other = new NpgsqlConnection(second);
        Assert.Equal(0L, await other.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'only_here'"));
    }
}
