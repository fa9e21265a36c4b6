using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

using SleepScoring.CommandLine;
using SleepScoring.Edf;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>sleepscore-lab bench api --memory 8,24,72</c>: the service's peak resident memory for one upload
/// of each length, side by side. Each night is a synthetic two-derivation EEG (EEG Fpz-Cz, EEG
/// Pz-Oz) at <c>--rate</c> Hz (default 2000: a 72-h night is then a 2 GB upload), written record by
/// record so the benchmark itself never holds a night. Before each upload the service's peak is
/// reset (<c>/proc/&lt;pid&gt;/clear_refs</c>); it is read once the study is scored, and the resident
/// size again after 10 s idle. Uploads run one at a time, so each peak is one upload's.
/// </summary>
internal static class ApiMemoryBench
{
    public static int Run(HttpClient client, ProcessMemory service, string folder, IReadOnlyList<double> hours, int rate, TextWriter output)
    {
        if (!service.CanReset)
        {
            output.WriteLine("the service's peak cannot be reset (pass --pid of a service this user owns, on Linux)");
            return VerbDispatcher.InputError;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores; load average {ApiLoad.LoadAverage()}; service resident {service.ResidentNow / 1e6:F0} MB before the first upload"));
        output.WriteLine("| night | upload | upload to 202 | 202 to scored | epochs | service peak RSS | RSS 10 s after |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        var peaks = new List<(double Hours, long Peak)>();
        foreach (double h in hours)
        {
            string file = Night(folder, h, rate);
            service.Reset();
            Stopwatch clock = Stopwatch.StartNew();
            (string status, string? id, int epochs, double uploaded) = UploadAndWaitAsync(client, file, clock).GetAwaiter().GetResult();
            double scored = clock.Elapsed.TotalSeconds - uploaded;
            long peak = service.PeakSinceReset;
            Thread.Sleep(TimeSpan.FromSeconds(10));
            long after = service.ResidentNow;
            peaks.Add((h, peak));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {h:0.#} h, {rate} Hz, 2 EEG | {new FileInfo(file).Length / 1e6:F0} MB | {uploaded:F1} s | {scored:F1} s ({status}) | {epochs} | {peak / 1e6:F0} MB | {after / 1e6:F0} MB |"));
            if (id is not null)
            {
                using HttpResponseMessage _ = client.DeleteAsync($"/api/v1/studies/{id}").GetAwaiter().GetResult(); // frees the disk when the key may (admin)
            }

            if (status != "scored")
            {
                return VerbDispatcher.InputError;
            }
        }

        (double shortest, long first) = peaks[0];
        foreach ((double h, long peak) in peaks.Skip(1))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak {h:0.#} h / {shortest:0.#} h: {(double)peak / first:F2}×"));
        }

        return VerbDispatcher.Success;
    }

    /// <summary>The synthetic night of <paramref name="hours"/> at <paramref name="rate"/> Hz: written once, reused from the folder.</summary>
    private static string Night(string folder, double hours, int rate)
    {
        string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"night-{hours:0.#}h-{rate}hz.edf"));
        if (File.Exists(path))
        {
            return path;
        }

        long records = (long)Math.Round(hours * 3600 / 30);
        long samples = records * 30 * rate;
        var writer = new EdfWriter { RecordDuration = 30, StartTime = new DateTime(2024, 1, 1, 22, 0, 0) };
        writer.AddSignal(new EdfSignalSpec("EEG Fpz-Cz", -500, 500, 30 * rate) { PhysicalDimension = "uV" }, samples, Eeg(rate, seed: 1));
        writer.AddSignal(new EdfSignalSpec("EEG Pz-Oz", -500, 500, 30 * rate) { PhysicalDimension = "uV" }, samples, Eeg(rate, seed: 2));
        writer.Write(path + ".part");
        File.Move(path + ".part", path);
        return path;
    }

    /// <summary>A 2-s periodic mix of 1.5 Hz and 10 Hz (from a table) plus seeded noise: looks like EEG to the pipeline, costs nothing to make.</summary>
    private static PhysicalSampleSource Eeg(int rate, int seed)
    {
        float[] period = [.. Enumerable.Range(0, 2 * rate).Select(i => (float)((40 * Math.Sin(2 * Math.PI * 1.5 * i / rate)) + (15 * Math.Sin(2 * Math.PI * 10 * i / rate))))];
        var random = new Random(seed);
        return (first, destination) =>
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = period[(first + i) % period.Length] + (float)((random.NextDouble() - 0.5) * 20);
            }
        };
    }

    private static async Task<(string Status, string? Id, int Epochs, double Uploaded)> UploadAndWaitAsync(HttpClient client, string file, Stopwatch clock)
    {
        await using FileStream body = File.OpenRead(file);
        using var content = new StreamContent(body, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await client.PostAsync("/api/v1/studies?deidentify=false", content).ConfigureAwait(false);
        double uploaded = clock.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode || response.Headers.Location is null)
        {
            return ($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}", null, 0, uploaded);
        }

        string id = response.Headers.Location.OriginalString.Split('/')[^1];
        while (true)
        {
            await Task.Delay(500).ConfigureAwait(false);
            using JsonDocument study = JsonDocument.Parse(await client.GetStringAsync(response.Headers.Location).ConfigureAwait(false));
            string status = study.RootElement.GetProperty("status").GetString() ?? "?";
            if (status is "scored" or "failed")
            {
                int epochs = study.RootElement.GetProperty("epochs") is { ValueKind: JsonValueKind.Number } e ? e.GetInt32() : 0;
                return (status, id, epochs, uploaded);
            }
        }
    }
}
