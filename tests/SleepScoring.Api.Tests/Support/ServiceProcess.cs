using SleepScoring.Testbed;
using SleepScoring.Tests.Common;

namespace SleepScoring.Api.Tests.Support;

/// <summary>
/// The real service: <c>dotnet SleepScoring.Api.dll</c> (the build of src/SleepScoring.Api beside this
/// test build) as a <see cref="ServiceNode"/> on 127.0.0.1 and a free port, configured through the environment.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    public const string AdminKey = "process-admin-Vq8Lz3Kx7Wn2Bt5Hm9Rc4Yd6Jf1Gp0Sa";

    private readonly ServiceNode node;

    private ServiceProcess(ServiceNode node) => this.node = node;

    public Uri Address => node.Address;

    /// <summary>The process id (to read its memory from /proc; it names the node's claims in <c>jobs.claimed_by</c>).</summary>
    public int Id => node.Id;

    /// <summary>What the service wrote to stdout and stderr, for failure messages.</summary>
    public string Output => node.Output;

    /// <summary>Everything the service wrote so far, line by line.</summary>
    public IReadOnlyList<string> Lines => node.Lines;

    /// <summary>Starts the service over <paramref name="dataDirectory"/> and waits until /health answers.</summary>
    /// <param name="dataDirectory">Working directory; the data folder is its <c>data</c> subfolder.</param>
    /// <param name="modelDirectory">The model the service loads.</param>
    /// <param name="environment">Further settings (e.g. <c>Scoring__MaxInterruptions</c>), or null.</param>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, string modelDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // The build output has no wwwroot (only a publish copies it): serve the page from the source.
            ["ASPNETCORE_WEBROOT"] = Path.Combine(SharedData.RepositoryRoot, "src", "SleepScoring.Api", "wwwroot"),
            ["Storage__DataDirectory"] = Path.Combine(dataDirectory, "data"),
            ["Scoring__ModelDirectory"] = modelDirectory,
            ["Scoring__PollInterval"] = "00:00:00.050",
            ["Security__BootstrapAdminKey"] = AdminKey,
        };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }

        return new ServiceProcess(await ServiceNode.StartAsync(ApiAssembly(), dataDirectory, settings, TimeSpan.FromSeconds(30)));
    }

    /// <summary>A client with the bootstrap admin key.</summary>
    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs.</summary>
    public void Kill() => node.Kill();

    /// <summary>Stops the process as systemd or Docker do (SIGTERM); its exit code, or null when it did not end within 30 s.</summary>
    public Task<int?> TerminateAsync() => node.TerminateAsync(TimeSpan.FromSeconds(30));

    public void Dispose() => node.Dispose();

    /// <summary>The built service assembly beside this test build.</summary>
    public static string ApiAssembly()
    {
        // This test runs from tests/SleepScoring.Api.Tests/bin/<configuration>/net10.0/linux-x64/; the service was built beside it.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Parent!.Name;
        string path = Path.Combine(SharedData.RepositoryRoot, "src", "SleepScoring.Api", "bin", configuration, "net10.0", "linux-x64", "SleepScoring.Api.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build src/SleepScoring.Api ({configuration})");
        return path;
    }
}
