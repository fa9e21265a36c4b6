using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SleepScoring.Lab.Bench;

/// <summary>One study's outcome: seconds from the start of its upload to 202 and to scored (or failed).</summary>
internal sealed record StudyTiming(string Status, double Uploaded, double Scored);

/// <summary>What one load run measured: each study's timing and the wall time until the last finished.</summary>
internal sealed record LoadResult(IReadOnlyList<StudyTiming> Timings, double WallSeconds)
{
    public IReadOnlyList<StudyTiming> Scored => [.. Timings.Where(t => t.Status == "scored")];

    public double StudiesPerMinute => Scored.Count / WallSeconds * 60;

    /// <summary>The statuses of the studies that did not end scored (HTTP errors, failed), for the report.</summary>
    public string Errors => string.Join(", ", Timings.Where(t => t.Status != "scored").Select(t => t.Status).Distinct());

    /// <summary>Nearest-rank percentile <paramref name="p"/> of <paramref name="value"/> over <paramref name="timings"/> (NaN when none).</summary>
    public static double Percentile(IEnumerable<StudyTiming> timings, Func<StudyTiming, double> value, double p)
    {
        double[] sorted = [.. timings.Select(value).Where(double.IsFinite).Order()];
        return sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
    }

    public double ScoredPercentile(double p) => Percentile(Scored, t => t.Scored, p);

    public double UploadPercentile(double p) => Percentile(Timings, t => t.Uploaded, p);
}

/// <summary>
/// The load of <c>bench api</c>: every file uploaded at once, to the clients in turn (as a
/// round-robin load balancer sends them), each study polled where it was uploaded until it is
/// scored or failed. Over HTTP only: what a hospital integration sees.
/// </summary>
internal static class ApiLoad
{
    public static LoadResult Run(IReadOnlyList<HttpClient> clients, IReadOnlyList<string> files)
    {
        Stopwatch wall = Stopwatch.StartNew();
        StudyTiming[] timings = Task.WhenAll(files.Select((f, i) => UploadAndWaitAsync(clients[i % clients.Count], f, wall))).GetAwaiter().GetResult();
        return new LoadResult(timings, wall.Elapsed.TotalSeconds);
    }

    public static HttpClient Client(string url, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>The 1-minute load average, as the report states it.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static async Task<StudyTiming> UploadAndWaitAsync(HttpClient client, string file, Stopwatch wall)
    {
        double started = wall.Elapsed.TotalSeconds;
        await using FileStream body = File.OpenRead(file);
        using var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await client.PostAsync(new Uri("/api/v1/studies", UriKind.Relative), content).ConfigureAwait(false);
        double uploaded = wall.Elapsed.TotalSeconds - started;
        if (!response.IsSuccessStatusCode || response.Headers.Location is null)
        {
            return new StudyTiming(string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"), uploaded, double.NaN);
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
}
