using System.Globalization;
using System.Security.Cryptography;

using SleepScoring.CommandLine;
using SleepScoring.Model;
using SleepScoring.Testbed;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>sleepscore-lab bench api --topology sqlite,postgresql,postgresql-3</c>: the same nights under
/// each configuration of the service, in one run, started here (<see cref="ServiceNode"/>: the
/// built <c>SleepScoring.Api.dll</c>, Kestrel on loopback): one node on SQLite; one node on a
/// throw-away PostgreSQL (<see cref="ThrowawayPostgres"/>, as the service's tests start it); N
/// nodes on that server and one shared data folder, the uploads sent to them in turn. Each run has
/// its own data folder and database, so none starts with another's rows. Prints throughput and
/// p50/p95 time to scored side by side, and each configuration against the first.
/// </summary>
internal static class ApiTopologyBench
{
    public static int Run(IReadOnlyList<TopologyRun> runs, IReadOnlyList<string> files, string? service, string? model, int epochs, TextWriter output)
    {
        string assembly = service ?? ServiceAssembly();
        string modelDirectory = ModelLocator.ForTool(model);
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)); // the bootstrap admin key of every run
        string root = Directory.CreateTempSubdirectory("sleepscore-bench-topology-").FullName;
        ThrowawayPostgres? postgres = null;
        try
        {
            if (runs.Any(r => r.PostgreSql))
            {
                // A durable server (fsync on): the comparison with SQLite must not favour PostgreSQL.
                postgres = ThrowawayPostgres.StartAsync(durable: true).GetAwaiter().GetResult();
            }

            output.WriteLine($"service {assembly}; model {modelDirectory}; PostgreSQL {(postgres is null ? "not used" : $"throw-away server on 127.0.0.1:{postgres.Port} (fsync on, PostgreSQL's defaults)")}");
            output.WriteLine("| run | configuration | load before | wall | throughput | upload to 202 p50 | time to scored p50 / p95 | scored |");
            output.WriteLine("|---|---|---|---|---|---|---|---|");
            var results = new List<(TopologyRun Run, LoadResult Load)>();
            for (int i = 0; i < runs.Count; i++)
            {
                TopologyRun run = runs[i];
                string load = ApiLoad.LoadAverage();
                LoadResult result = RunOne(run, i + 1, Path.Combine(root, $"run{i + 1}"), postgres, assembly, modelDirectory, key, files);
                results.Add((run, result));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i + 1} | {run.Description} | {load} | {result.WallSeconds:F1} s | {result.StudiesPerMinute:F1} studies/min ({result.Scored.Count * epochs / result.WallSeconds:F0} epochs/s) | {result.UploadPercentile(0.5):F2} s | {result.ScoredPercentile(0.5):F1} s / {result.ScoredPercentile(0.95):F1} s | {result.Scored.Count}/{files.Count}{(result.Errors.Length == 0 ? "" : $" ({result.Errors})")} |"));
            }

            output.WriteLine($"load average after: {ApiLoad.LoadAverage()}");
            Summarize(results, output);
            return results.All(r => r.Load.Scored.Count == files.Count) ? VerbDispatcher.Success : VerbDispatcher.InputError;
        }
        finally
        {
            postgres?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Starts the configuration's nodes, runs the load against them, stops them (SIGTERM, as an operator would).</summary>
    private static LoadResult RunOne(TopologyRun run, int number, string folder, ThrowawayPostgres? postgres, string assembly, string model, string key, IReadOnlyList<string> files)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Storage__DataDirectory"] = Path.Combine(folder, "data"),
            ["Scoring__ModelDirectory"] = model,
            ["Security__BootstrapAdminKey"] = key,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (run.PostgreSql)
        {
            settings["Database__Provider"] = "PostgreSql";
            settings["Database__ConnectionString"] = postgres!.CreateDatabaseAsync($"bench_run{number}").GetAwaiter().GetResult();
        }

        // Nodes start together, as after a deployment: the migration runs once under its advisory lock.
        ServiceNode[] nodes = Task.WhenAll(Enumerable.Range(0, run.Nodes).Select(n =>
        {
            string working = Directory.CreateDirectory(Path.Combine(folder, $"node{n}")).FullName;
            return ServiceNode.StartAsync(assembly, working, settings, TimeSpan.FromMinutes(2));
        })).GetAwaiter().GetResult();
        try
        {
            HttpClient[] clients = [.. nodes.Select(node => ApiLoad.Client(node.Address.ToString(), key))];
            try
            {
                return ApiLoad.Run(clients, files);
            }
            finally
            {
                foreach (HttpClient client in clients)
                {
                    client.Dispose();
                }
            }
        }
        finally
        {
            Task.WhenAll(nodes.Select(node => node.TerminateAsync(TimeSpan.FromSeconds(30)))).GetAwaiter().GetResult();
            foreach (ServiceNode node in nodes)
            {
                node.Dispose();
            }
        }
    }

    /// <summary>Each configuration's means over its runs, and how far each lies from the first configuration's.</summary>
    private static void Summarize(List<(TopologyRun Run, LoadResult Load)> results, TextWriter output)
    {
        var means = results.GroupBy(r => r.Run.Name).Select(g => (
            g.First().Run,
            Runs: g.Count(),
            Throughput: g.Average(r => r.Load.StudiesPerMinute),
            P50: g.Average(r => r.Load.ScoredPercentile(0.5)),
            P95: g.Average(r => r.Load.ScoredPercentile(0.95)))).ToList();
        output.WriteLine();
        output.WriteLine("| configuration | runs | mean throughput | mean time to scored p50 / p95 | against " + means[0].Run.Description + " (throughput; p50; p95) |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var m in means)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {m.Run.Description} | {m.Runs} | {m.Throughput:F1} studies/min | {m.P50:F1} s / {m.P95:F1} s | {Change(m.Throughput, means[0].Throughput)}; {Change(m.P50, means[0].P50)}; {Change(m.P95, means[0].P95)} |"));
        }
    }

    private static string Change(double value, double reference) => string.Create(CultureInfo.InvariantCulture, $"{(value / reference - 1) * 100:+0;-0;0} %");

    /// <summary>The service build of this checkout (Release preferred: a benchmark of a Debug build says little), found above the working folder.</summary>
    private static string ServiceAssembly()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SleepScoring.sln")))
            {
                string? built = new[] { "Release", "Debug" }
                    .Select(c => Path.Combine(dir.FullName, "src", "SleepScoring.Api", "bin", c, "net10.0", "linux-x64", "SleepScoring.Api.dll"))
                    .FirstOrDefault(File.Exists);
                return built ?? throw new UsageException($"no build of the service under {dir.FullName}/src/SleepScoring.Api/bin: run 'dotnet build -c Release src/SleepScoring.Api', or pass --service <SleepScoring.Api.dll>");
            }
        }

        throw new UsageException("--service <SleepScoring.Api.dll> is needed outside a checkout of the repository");
    }
}
