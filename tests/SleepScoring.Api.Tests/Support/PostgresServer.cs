using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using Npgsql;

namespace SleepScoring.Api.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server from Debian's <c>postgresql</c> package: <c>initdb</c> in a temp
/// folder, <c>pg_ctl start</c> on a free loopback port, trust authentication, stopped and deleted at
/// the end. PostgreSQL refuses to run as root, so under root every server command runs as the
/// <c>postgres</c> user the package creates. Without the binaries the tests that need it skip
/// (<see cref="Require"/>) with a message naming the package.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private static readonly bool IsRoot = Environment.UserName == "root";
    private readonly string? binaries = FindBinaries();
    private string? folder;
    private int databases;

    /// <summary>Why the server is not running (binaries missing, or start failed), or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Connection string of the server's maintenance database.</summary>
    public string AdminConnectionString => Connect("postgres");

    public async Task InitializeAsync()
    {
        if (binaries is null)
        {
            Unavailable = "PostgreSQL server binaries (initdb, pg_ctl) are not installed: install the Debian package 'postgresql' (apt-get install -y postgresql) to run the PostgreSQL tests.";
            return;
        }

        folder = Directory.CreateTempSubdirectory("sleepscoring-pg-").FullName;
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", [$"{SuperUser}:", folder]);
            }

            string data = Path.Combine(folder, "data");
            await RunServerAsync("initdb", ["-D", data, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
            Port = FreePort();
            // Sockets in the temp folder (not /var/run/postgresql, which may be missing); fsync off: throwaway data.
            string options = $"-p {Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
            await RunServerAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options]);
        }
        catch (InvalidOperationException e)
        {
            Unavailable = $"PostgreSQL from the Debian package 'postgresql' could not be started: {e.Message}";
        }
    }

    /// <summary>Skips the calling test when the server is not running, saying why.</summary>
    public void Require() => Skip.If(Unavailable is not null, Unavailable);

    /// <summary>Creates a new empty database (one per test class or test) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        Require();
        string name = $"test_{Interlocked.Increment(ref databases)}_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return Connect(name);
    }

    public async Task DisposeAsync()
    {
        if (folder is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (Unavailable is null)
        {
            await RunServerAsync("pg_ctl", ["stop", "-w", "-m", "immediate", "-D", Path.Combine(folder, "data")]);
        }

        Directory.Delete(folder, recursive: true);
    }

    private string Connect(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        Pooling = true,
    }.ConnectionString;

    /// <summary>The newest installed server's bin folder (Debian keeps it off PATH), or null.</summary>
    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        return Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out int v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunServerAsync(string tool, IReadOnlyList<string> arguments) =>
        IsRoot
            ? RunAsync("runuser", ["-u", SuperUser, "--", Path.Combine(binaries!, tool), .. arguments])
            : RunAsync(Path.Combine(binaries!, tool), arguments);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments.Take(4))} … exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}

/// <summary>The tests that share one PostgreSQL server (started once, each class in its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
