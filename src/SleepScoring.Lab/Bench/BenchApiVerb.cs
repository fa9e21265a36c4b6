using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

using SleepScoring.CommandLine;
using SleepScoring.Lab.Verbs;
using SleepScoring.Synthesis;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>sleepscore-lab bench api</c>: load on a running service (127.0.0.1 or any URL) over HTTP only —
/// N surrogate full nights (one night's real features, N seeds, so N distinct files) uploaded at
/// once, then polled until scored. Reports throughput, p50/p95 time from upload start to scored,
/// upload time, errors, and the service's peak resident memory (VmHWM of <c>--pid</c>). With several
/// URLs (<c>--url a,b,c</c>: nodes sharing one PostgreSQL and one data folder) the uploads go to the
/// nodes in turn, as a round-robin load balancer would send them, and each study is polled where it was uploaded.
/// The CLI does not reference the service: this is what a hospital integration sees.
/// </summary>
internal sealed class BenchApiVerb : IVerb
{
    public string Name => "bench api";

    public string Arguments => "--url <http://127.0.0.1:5080>[,<url>…] --key <api key> (--features <night.csv> --hypnogram <hypnogram.edf> [--studies 20] [--start-epoch 900] [--epochs 960] | --memory <hours,…> [--rate 2000]) [--pid <service pid>] [--keep <dir>]";

    public string Summary => "concurrent uploads of full-night surrogate studies to a running service: throughput, p50/p95 time to scored, peak memory; or, with --memory 8,24,72, the service's peak memory per upload length side by side";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--url", "--key", "--features", "--hypnogram", "--studies", "--start-epoch", "--epochs", "--pid", "--keep", "--memory", "--rate"], []);
        int studies = options.PositiveOr("--studies", 20), epochs = options.PositiveOr("--epochs", 960);
        string? pid = options.Optional("--pid");
        string? keep = options.Optional("--keep"); // reuse the generated nights across runs (e.g. two service configurations)
        string folder = keep ?? Directory.CreateTempSubdirectory("sleepscore-bench-api-").FullName;
        try
        {
            if (options.Optional("--memory") is string memory)
            {
                double[] hours = [.. memory.Split(',').Select(h => double.Parse(h, CultureInfo.InvariantCulture))];
                using var memoryClient = new HttpClient { BaseAddress = new Uri(options.Required("--url")), Timeout = TimeSpan.FromMinutes(30) };
                memoryClient.DefaultRequestHeaders.Add("X-Api-Key", options.Required("--key"));
                int servicePid = int.Parse(pid ?? throw new UsageException("--memory needs --pid <service pid> to read the service's peak"), CultureInfo.InvariantCulture);
                return ApiMemoryBench.Run(memoryClient, ProcessMemory.Of(servicePid), folder, hours, options.PositiveOr("--rate", 2000), output);
            }

            Stopwatch generation = Stopwatch.StartNew();
            string[] files = [.. Enumerable.Range(1, studies).Select(seed => Night(options, folder, seed, epochs))];
            long bytes = files.Sum(f => new FileInfo(f).Length);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{studies} surrogate nights of {epochs} epochs ({epochs / 120.0:F1} h), {bytes / 1e6:F0} MB in all, ready in {generation.Elapsed.TotalSeconds:F0} s; {Environment.ProcessorCount} cores; load average {LoadAverage()}"));

            HttpClient[] clients = [.. options.Required("--url").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url => Client(url, options.Required("--key")))];
            Stopwatch wall = Stopwatch.StartNew();
            StudyTiming[] timings = Task.WhenAll(files.Select((f, i) => UploadAndWaitAsync(clients[i % clients.Length], f, wall))).GetAwaiter().GetResult();
            double total = wall.Elapsed.TotalSeconds;
            foreach (HttpClient client in clients)
            {
                client.Dispose();
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clients.Length} node(s): {options.Required("--url")}"));

            StudyTiming[] scored = [.. timings.Where(t => t.Status == "scored")];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scored {scored.Length}/{studies}, errors {studies - scored.Length} ({string.Join(", ", timings.Where(t => t.Status != "scored").Select(t => t.Status).Distinct())})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall {total:F1} s; throughput {scored.Length / total * 60:F2} studies/min, {scored.Length * epochs / total:F0} epochs/s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"upload (202) p50 {Percentile(timings, t => t.Uploaded, 0.5):F2} s, p95 {Percentile(timings, t => t.Uploaded, 0.95):F2} s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time to scored p50 {Percentile(scored, t => t.Scored, 0.5):F1} s, p95 {Percentile(scored, t => t.Scored, 0.95):F1} s, max {(scored.Length == 0 ? 0 : scored.Max(t => t.Scored)):F1} s"));
            output.WriteLine(pid is null ? "service peak memory: pass --pid to read it" : $"service peak resident memory (VmHWM): {PeakResident(pid)}");
            return scored.Length == studies ? VerbDispatcher.Success : VerbDispatcher.InputError;
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The night of <paramref name="seed"/>: generated, or found in the folder from an earlier run with the same options.</summary>
    private static string Night(OptionList options, string folder, int seed, int epochs)
    {
        string directory = Path.Combine(folder, $"night-{seed:D2}-{epochs}");
        string? existing = Directory.Exists(directory) ? Directory.GetFiles(directory, "*-PSG.edf").FirstOrDefault() : null;
        return existing ?? SurrogateStudy.Generate(new SurrogateStudyRequest(
            options.Required("--features"), options.Required("--hypnogram"), directory, (ulong)seed, (int)options.UnsignedOr("--start-epoch", 900), epochs)).PsgPath;
    }

    private static HttpClient Client(string url, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>One study's outcome: seconds from the start of the run to 202 and to scored.</summary>
    private sealed record StudyTiming(string Status, double Uploaded, double Scored);

    private static async Task<StudyTiming> UploadAndWaitAsync(HttpClient client, string file, Stopwatch wall)
    {
        double started = wall.Elapsed.TotalSeconds;
        await using FileStream body = File.OpenRead(file);
        using var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await client.PostAsync("/api/v1/studies", content).ConfigureAwait(false);
        double uploaded = wall.Elapsed.TotalSeconds - started;
        if (!response.IsSuccessStatusCode || response.Headers.Location is null)
        {
            return new StudyTiming($"HTTP {(int)response.StatusCode}", uploaded, double.NaN);
        }

        while (true)
        {
            await Task.Delay(250).ConfigureAwait(false);
            using JsonDocument study = JsonDocument.Parse(await client.GetStringAsync(response.Headers.Location).ConfigureAwait(false));
            string status = study.RootElement.GetProperty("status").GetString() ?? "?";
            if (status is "scored" or "failed")
            {
                return new StudyTiming(status, uploaded, wall.Elapsed.TotalSeconds - started);
            }
        }
    }

    private static double Percentile(IReadOnlyList<StudyTiming> timings, Func<StudyTiming, double> value, double p)
    {
        double[] sorted = [.. timings.Select(value).Where(double.IsFinite).Order()];
        return sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)]; // nearest-rank
    }

    private static string PeakResident(string pid)
    {
        string status = $"/proc/{pid}/status";
        string? line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null ? $"unavailable ({status} not readable)" : line["VmHWM:".Length..].Trim();
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
