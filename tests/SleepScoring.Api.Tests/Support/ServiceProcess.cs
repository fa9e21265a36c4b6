using System.Collections.Concurrent;
using System.Diagnostics;

using SleepScoring.Tests.Common;

namespace SleepScoring.Api.Tests.Support;

/// <summary>
/// The real service: <c>dotnet SleepScoring.Api.dll</c> (the build of src/SleepScoring.Api beside this
/// test build) with Kestrel on 127.0.0.1 and a free port, configured through the environment.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    public const string AdminKey = "process-admin-Vq8Lz3Kx7Wn2Bt5Hm9Rc4Yd6Jf1Gp0Sa";

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ServiceProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The process id (to read its memory from /proc; it names the node's claims in <c>jobs.claimed_by</c>).</summary>
    public int Id => process.Id;

    /// <summary>What the service wrote to stdout and stderr, for failure messages.</summary>
    public string Output => string.Join('\n', output.TakeLast(40));

    /// <summary>Everything the service wrote so far, line by line.</summary>
    public IReadOnlyList<string> Lines => [.. output];

    /// <summary>Starts the service over <paramref name="dataDirectory"/> and waits until /health answers.</summary>
    /// <param name="dataDirectory">Working directory; the data folder is its <c>data</c> subfolder.</param>
    /// <param name="modelDirectory">The model the service loads.</param>
    /// <param name="environment">Further settings (e.g. <c>Scoring__MaxInterruptions</c>), or null.</param>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, string modelDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        int port = CallbackReceiver.FreePort();
        var start = new ProcessStartInfo("dotnet", [ApiAssembly()])
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The build output has no wwwroot (only a publish copies it): serve the page from the source.
        start.Environment["ASPNETCORE_WEBROOT"] = Path.Combine(SharedData.RepositoryRoot, "src", "SleepScoring.Api", "wwwroot");
        start.Environment["Storage__DataDirectory"] = Path.Combine(dataDirectory, "data");
        start.Environment["Scoring__ModelDirectory"] = modelDirectory;
        start.Environment["Scoring__PollInterval"] = "00:00:00.050";
        start.Environment["Security__BootstrapAdminKey"] = AdminKey;
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => service.output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => service.output.Enqueue(e.Data ?? string.Empty);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(2) };
        for (int i = 0; i < 300; i++)
        {
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too busy (a job recovered at start competes for the cores) to answer within the timeout
            }

            Assert.False(process.HasExited, $"the service exited with {(process.HasExited ? process.ExitCode : 0)}: {service.Output}");
            await Task.Delay(100);
        }

        service.Dispose();
        throw new TimeoutException($"the service did not answer /health within 30 s: {service.Output}");
    }

    /// <summary>A client with the bootstrap admin key.</summary>
    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
    }

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
