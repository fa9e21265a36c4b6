using System.Net.Sockets;

namespace SleepScoring.Testbed.Tests;

/// <summary>
/// The throw-away server itself (the service's PostgreSQL tests check it speaks SQL on loopback):
/// it listens where it says, keeps databases apart by name, and leaves nothing behind.
/// </summary>
public sealed class ThrowawayPostgresTests
{
    [SkippableFact]
    public async Task Server_ListensOnItsLoopbackPort_UntilDisposed()
    {
        Skip.If(ThrowawayPostgres.FindBinaries() is null, ThrowawayPostgres.MissingPackage + " to run this test.");
        ThrowawayPostgres server = await ThrowawayPostgres.StartAsync();
        int port = server.Port;
        string log = server.LogFile;
        try
        {
            using (var client = new TcpClient())
            {
                await client.ConnectAsync("127.0.0.1", port);
                Assert.True(client.Connected);
            }

            Assert.NotEqual(5432, port);
            Assert.Contains($"Port={port};", server.ConnectionString("x"), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(Directory.Exists(Path.GetDirectoryName(log)), "the server's folder is deleted");
        using var after = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => after.ConnectAsync("127.0.0.1", port));
    }

    [SkippableFact]
    public async Task CreateDatabase_TwiceTheSameName_IsRefused_BySQL()
    {
        Skip.If(ThrowawayPostgres.FindBinaries() is null, ThrowawayPostgres.MissingPackage + " to run this test.");
        await using ThrowawayPostgres server = await ThrowawayPostgres.StartAsync();

        string first = await server.CreateDatabaseAsync("bench_one");
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => server.CreateDatabaseAsync("bench_one"));

        Assert.EndsWith("Database=bench_one;Pooling=true", first, StringComparison.Ordinal);
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_durable_server_keeps_fsync_on_and_a_test_server_turns_it_off(bool durable)
    {
        Skip.If(ThrowawayPostgres.FindBinaries() is null, ThrowawayPostgres.MissingPackage + " to run this test.");
        await using ThrowawayPostgres server = await ThrowawayPostgres.StartAsync(durable);

        // postmaster.opts is PostgreSQL's own record of the options the running server was started with.
        string options = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(server.LogFile)!, "data", "postmaster.opts"));

        Assert.Equal(!durable, options.Contains("fsync=off", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bench")]
    [InlineData("x; DROP DATABASE postgres")]
    public void DatabaseName_ThatIsNotPlain_IsRefused_NamingIt(string name)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ThrowawayPostgres.CheckDatabaseName(name));

        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
    }
}
