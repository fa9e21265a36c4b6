namespace SleepScoring.Testbed;

/// <summary>
/// A throw-away PostgreSQL server from Debian's <c>postgresql</c> package: <c>initdb</c> in a temp
/// folder, <c>pg_ctl start</c> on a free loopback port, trust authentication, fsync off unless asked
/// to be durable; stopped and
/// deleted on dispose. PostgreSQL refuses to run as root, so under root every server command runs as
/// the <c>postgres</c> user the package creates. Used by the service's PostgreSQL tests and by
/// <c>sleepscore-lab bench api --topology</c>, so both measure the same kind of server.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    /// <summary>The superuser initdb creates (the package's system user, too).</summary>
    public const string SuperUser = "postgres";

    /// <summary>What to install when the binaries are missing.</summary>
    public const string MissingPackage = "PostgreSQL server binaries (initdb, pg_ctl) are not installed: install the Debian package 'postgresql' (apt-get install -y postgresql)";

    private static readonly bool IsRoot = Environment.UserName == "root";
    private readonly string binaries;
    private readonly string folder;

    private ThrowawayPostgres(string binaries, string folder, int port)
    {
        this.binaries = binaries;
        this.folder = folder;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server's log (initdb and pg_ctl write here), for failure messages.</summary>
    public string LogFile => Path.Combine(folder, "server.log");

    /// <summary>
    /// Starts a new server: with fsync off (tests: throw-away data), or with <paramref name="durable"/>
    /// PostgreSQL's own defaults (fsync on, every commit flushed — stricter than the service's SQLite,
    /// WAL with synchronous=NORMAL), so a benchmark compares like with like or better.
    /// </summary>
    /// <exception cref="InvalidOperationException">The package is missing (the message names it) or the server could not start (the message holds the tool's output).</exception>
    public static async Task<ThrowawayPostgres> StartAsync(bool durable = false)
    {
        string binaries = FindBinaries() ?? throw new InvalidOperationException(MissingPackage + ".");
        string folder = Directory.CreateTempSubdirectory("sleepscoring-pg-").FullName;
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", [$"{SuperUser}:", folder]).ConfigureAwait(false);
            }

            string data = Path.Combine(folder, "data");
            await RunServerAsync(binaries, "initdb", ["-D", data, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]).ConfigureAwait(false);
            int port = LoopbackPort.Free();
            // Sockets in the temp folder (not /var/run/postgresql, which may be missing).
            string options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1{(durable ? "" : " -c fsync=off")} -c max_connections=200";
            await RunServerAsync(binaries, "pg_ctl", ["start", "-w", "-t", "60", "-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options]).ConfigureAwait(false);
            return new ThrowawayPostgres(binaries, folder, port);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>The connection string (Npgsql syntax) of <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={database};Pooling=true";

    /// <summary>Creates an empty database <paramref name="name"/> (lower case letters, digits, '_') and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        CheckDatabaseName(name);
        await RunServerAsync(binaries, "createdb", ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", SuperUser, name]).ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>Refuses a database name that is not plain (it reaches createdb's command line and the connection string).</summary>
    internal static void CheckDatabaseName(string name)
    {
        if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"Database name '{name}': use lower case letters, digits and '_'.", nameof(name));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunServerAsync(binaries, "pg_ctl", ["stop", "-w", "-m", "immediate", "-D", Path.Combine(folder, "data")]).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The newest installed server's bin folder (Debian keeps it off PATH), or null.</summary>
    public static string? FindBinaries()
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

    private static Task RunServerAsync(string binaries, string tool, IReadOnlyList<string> arguments) =>
        IsRoot
            ? RunAsync("runuser", ["-u", SuperUser, "--", Path.Combine(binaries, tool), .. arguments])
            : RunAsync(Path.Combine(binaries, tool), arguments);

    private static Task RunAsync(string program, IReadOnlyList<string> arguments) => Tool.RunAsync(program, arguments);
}
