using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Tests.Support;

using Xunit.Abstractions;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, acceptance: 1,000 mutated uploads (<see cref="EdfMutator"/>: header numbers such as
/// 1e308, NaN, -0 and 99999999, header texts, TALs, truncations, flipped bytes, appended garbage)
/// through the API. No answer is a 5xx; every answer is a 4xx problem+json or an accepted study that
/// is then scored; the listing is valid JSON after every request; and no file is left that belongs
/// to no study (incoming/, scratch/, studies/).
/// </summary>
public sealed class UploadFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Uploads = 1000;

    private readonly ApiFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task AThousandMutatedUploads_AreEachAProblemOrAScoredStudy_AndLeaveNoOrphans()
    {
        using HttpClient client = factory.Admin();
        byte[] original = TestStudies.Eeg(3, seed: 77, patientName: "Jane Doe", (0, "Lights off"), (30, "Sleep stage W"), (45.5, "Lights off by Nurse_Smith"));
        var mutator = new EdfMutator(original, seed: 13);
        var accepted = new Dictionary<string, string>();
        var statuses = new SortedDictionary<int, int>();

        for (int i = 0; i < Uploads; i++)
        {
            (byte[] file, string what) = mutator.Next();
            HttpResponseMessage response = await client.UploadAsync(file, i % 3 == 0 ? "?deidentify=false" : string.Empty);
            string body = await response.Content.ReadAsStringAsync();
            int status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            string context = $"upload {i} ({what}): {status} {body}";

            Assert.True(status < 500, context);
            if (status >= 400)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", context);
                Assert.Equal(status, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
            }
            else
            {
                Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, context);
                accepted.TryAdd(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!, what);
            }

            HttpResponseMessage list = await client.GetAsync("/api/v1/studies?page_size=500");
            string listing = await list.Content.ReadAsStringAsync();
            Assert.True(list.StatusCode == HttpStatusCode.OK, $"listing after {context}: {(int)list.StatusCode} {listing}");
            Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(listing).RootElement.GetProperty("items").ValueKind);
        }

        var failed = new List<string>();
        foreach ((string id, string what) in accepted)
        {
            JsonElement study = await WaitAsync(client, id);
            if (study.GetProperty("status").GetString() != "scored")
            {
                failed.Add($"{id} ({what}): {study}");
            }
        }

        output.WriteLine($"{Uploads} uploads: {string.Join(", ", statuses.Select(s => $"{s.Value} × {s.Key}"))}; {accepted.Count} distinct studies accepted, {accepted.Count - failed.Count} scored");
        Assert.True(failed.Count == 0, string.Join('\n', failed));
        string data = factory.DataDirectory;
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "incoming")));
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "scratch")));
        Assert.Equal(accepted.Keys.Order(), Directory.GetDirectories(Path.Combine(data, "studies")).Select(Path.GetFileName).Order()!);
        Assert.Equal(accepted.Count, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, string id)
    {
        for (int i = 0; i < 1200; i++)
        {
            JsonElement study = await client.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}");
            if (study.GetProperty("status").GetString() is "scored" or "failed")
            {
                return study;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"study {id} did not finish within 60 s");
    }
}
