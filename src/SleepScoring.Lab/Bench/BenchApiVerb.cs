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
/// With <c>--topology sqlite,postgresql,postgresql-3</c> it starts the service itself for each
/// configuration in turn (<see cref="ApiTopologyBench"/>) and prints them side by side.
/// The CLI does not reference the service: this is what a hospital integration sees.
/// </summary>
internal sealed class BenchApiVerb : IVerb
{
    public string Name => "bench api";

    public string Arguments => "(--url <http://127.0.0.1:5080>[,<url>…] --key <api key> | --topology sqlite,postgresql,postgresql-3 [--rounds 1] [--service <SleepScoring.Api.dll>] [--model <dir>]) (--features <night.csv> --hypnogram <hypnogram.edf> [--studies 20] [--start-epoch 900] [--epochs 960] | --memory <hours,…> [--rate 2000]) [--pid <service pid>] [--keep <dir>]";

    public string Summary => "concurrent uploads of full-night surrogate studies to a running service: throughput, p50/p95 time to scored, peak memory; or, with --memory 8,24,72, the service's peak memory per upload length side by side; or, with --topology, starts each configuration itself (SQLite, PostgreSQL with N nodes) and compares them in one run";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--url", "--key", "--features", "--hypnogram", "--studies", "--start-epoch", "--epochs", "--pid", "--keep", "--memory", "--rate", "--topology", "--rounds", "--service", "--model"], []);
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
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{studies} surrogate nights of {epochs} epochs ({epochs / 120.0:F1} h), {bytes / 1e6:F0} MB in all, ready in {generation.Elapsed.TotalSeconds:F0} s; {Environment.ProcessorCount} cores; load average {ApiLoad.LoadAverage()}"));

            if (options.Optional("--topology") is string topology)
            {
                return ApiTopologyBench.Run(TopologyRun.Parse(topology, options.PositiveOr("--rounds", 1)), files, options.Optional("--service"), options.Optional("--model"), epochs, output);
            }

            HttpClient[] clients = [.. options.Required("--url").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url => ApiLoad.Client(url, options.Required("--key")))];
            LoadResult load = ApiLoad.Run(clients, files);
            foreach (HttpClient client in clients)
            {
                client.Dispose();
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clients.Length} node(s): {options.Required("--url")}"));
            IReadOnlyList<StudyTiming> scored = load.Scored;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scored {scored.Count}/{studies}, errors {studies - scored.Count} ({load.Errors})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall {load.WallSeconds:F1} s; throughput {load.StudiesPerMinute:F2} studies/min, {scored.Count * epochs / load.WallSeconds:F0} epochs/s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"upload (202) p50 {load.UploadPercentile(0.5):F2} s, p95 {load.UploadPercentile(0.95):F2} s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time to scored p50 {load.ScoredPercentile(0.5):F1} s, p95 {load.ScoredPercentile(0.95):F1} s, max {(scored.Count == 0 ? 0 : scored.Max(t => t.Scored)):F1} s"));
            output.WriteLine(pid is null ? "service peak memory: pass --pid to read it" : $"service peak resident memory (VmHWM): {PeakResident(pid)}");
            return scored.Count == studies ? VerbDispatcher.Success : VerbDispatcher.InputError;
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

    private static string PeakResident(string pid)
    {
        string status = $"/proc/{pid}/status";
        string? line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null ? $"unavailable ({status} not readable)" : line["VmHWM:".Length..].Trim();
    }
}
