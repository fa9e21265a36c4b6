using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Tests.Support;

using Xunit.Abstractions;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 5: memory grew with the recording (a 72-h upload peaked at 4.7 GB). The night is
/// now conditioned into files and scored in batches, so a 72-h study, whose conditioned signals
/// alone are 207 MB of float, is scored by a service whose managed heap is capped below that
/// (<c>DOTNET_GCHeapHardLimit</c>); scratch files are gone afterwards. The resident-memory figures
/// for 8, 24 and 72 h come from <c>sleepscore bench api --memory 8,24,72</c> (docs/service.md).
/// </summary>
public sealed class Point05_BoundedMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const int Hours = 72;
    private const string HeapLimit = "0xC000000"; // 192 MB

    private readonly ContractModel model = new();
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-memory-").FullName;

    public void Dispose()
    {
        model.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task SeventyTwoHourUpload_IsScoredWithTheManagedHeapCappedBelowItsConditionedSignals()
    {
        string edf = Path.Combine(directory, "night.edf");
        TestStudies.WriteLongEeg(edf, Hours);
        var settings = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = HeapLimit };
        using ServiceProcess service = await ServiceProcess.StartAsync(directory, model.Directory, settings);
        using HttpClient client = service.Client();
        client.Timeout = TimeSpan.FromMinutes(5);

        string id;
        await using (FileStream body = File.OpenRead(edf))
        {
            using var content = new StreamContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            HttpResponseMessage response = await client.PostAsync("/api/v1/studies?deidentify=false", content);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        JsonElement study = await WaitAsync(client, id, service);

        Assert.True(study.GetProperty("status").GetString() == "scored", $"{study}\n{service.Output}");
        Assert.Equal(Hours * 120, study.GetProperty("epochs").GetInt32());
        string data = Path.Combine(directory, "data");
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "scratch")));
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "studies", id), "*.tmp"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Hours} h scored under a {Convert.ToInt64(HeapLimit, 16) / 1e6:F0} MB heap limit; service {Status(service.Id)}"));
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, string id, ServiceProcess service)
    {
        for (int i = 0; i < 1800; i++)
        {
            JsonElement study = await client.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}");
            if (study.GetProperty("status").GetString() is "scored" or "failed")
            {
                return study;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"study {id} did not finish within 6 min: {service.Output}");
    }

    /// <summary>Peak and current resident size from /proc (for the test output; the heap limit is the assertion).</summary>
    private static string Status(int pid)
    {
        string path = $"/proc/{pid}/status";
        return File.Exists(path)
            ? string.Join(", ", File.ReadLines(path).Where(l => l.StartsWith("VmHWM", StringComparison.Ordinal) || l.StartsWith("VmRSS", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))))
            : "memory unknown";
    }
}
