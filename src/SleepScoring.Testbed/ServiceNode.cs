using System.Collections.Concurrent;
using System.Diagnostics;

namespace SleepScoring.Testbed;

/// <summary>
/// One service process: <c>dotnet SleepScoring.Api.dll</c> with Kestrel on 127.0.0.1 and a free
/// port, configured through the environment, its output kept line by line. Started by the service's
/// process tests and by <c>sleepscore-lab bench api --topology</c> (which cannot reference the service).
/// </summary>
public sealed class ServiceNode : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ServiceNode(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The process id (it names the node's claims in <c>jobs.claimed_by</c>).</summary>
    public int Id => process.Id;

    /// <summary>Everything the service wrote so far (stdout and stderr), line by line.</summary>
    public IReadOnlyList<string> Lines => [.. output];

    /// <summary>The last 40 lines, for failure messages.</summary>
    public string Output => string.Join('\n', output.TakeLast(40));

    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts <paramref name="apiAssembly"/> in <paramref name="workingDirectory"/> with
    /// <paramref name="environment"/> (ASPNETCORE_URLS is set here) and waits until <c>/health</c> answers.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process exited before answering (the message holds its output).</exception>
    /// <exception cref="TimeoutException">It did not answer within <paramref name="timeout"/>.</exception>
    public static async Task<ServiceNode> StartAsync(string apiAssembly, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(environment);
        int port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet", [apiAssembly])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var node = new ServiceNode(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => node.output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => node.output.Enqueue(e.Data ?? string.Empty);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = node.Address, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            try
            {
                using HttpResponseMessage health = await client.GetAsync(new Uri("/health", UriKind.Relative)).ConfigureAwait(false);
                if (health.IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too busy (a job recovered at start competes for the cores) to answer within the timeout
            }

            if (process.HasExited)
            {
                string message = $"the service exited with {process.ExitCode}: {node.Output}";
                node.Dispose();
                throw new InvalidOperationException(message);
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        node.Dispose();
        throw new TimeoutException($"the service did not answer /health within {timeout.TotalSeconds:F0} s: {node.Output}");
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    /// <summary>Asks the process to stop (SIGTERM, as systemd or Docker do) and waits for it; its exit code, or null when it did not end within <paramref name="wait"/>.</summary>
    public async Task<int?> TerminateAsync(TimeSpan wait)
    {
        await Tool.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
    }
}
