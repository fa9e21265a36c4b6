using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Dapper;

using Microsoft.Data.Sqlite;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 1: an EDF whose 'duration of a data record' is 1e308 answered 500 after its row
/// was stored, and every listing broke from then on. Absurd header numbers are a 422 naming the
/// field, and no stored row breaks a listing.
/// </summary>
public sealed class Point01_AbsurdHeaderNumbersTests : IDisposable
{
    private readonly ApiFactory factory = new(withModel: false);

    public void Dispose() => factory.Dispose();

    [Theory]
    [InlineData(244, 8, "1e308", "duration of a data record")] // × 3 records: an infinite recording
    [InlineData(244, 8, "1e300", "duration of a data record")] // finite, far beyond 72 h
    [InlineData(244, 8, "1e-300", "nr of samples in each data record")] // 3000 samples per 1e-300 s
    [InlineData(244, 8, "-0", "duration of a data record")] // 0 s records with ordinary signals
    public async Task AbsurdRecordDuration_Is422NamingTheField_AndNothingIsStored(int offset, int width, string value, string field)
    {
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        byte[] edf = TestStudies.Patch(TestStudies.Eeg(3, seed: 101), offset, width, value);

        HttpResponseMessage response = await client.UploadAsync(edf);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(0, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
        HttpResponseMessage list = await client.GetAsync("/api/v1/studies");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AStoredRowWithAnInfiniteDuration_DoesNotBreakTheListing()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 102));
        // A row as an older version stored it (SQLite keeps 9e999 as +infinity), with text that is not JSON.
        await using (var c = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "sleepscoring.db")};Pooling=False"))
        {
            await c.ExecuteAsync("UPDATE studies SET duration_seconds = 9e999, lights_on = -9e999, channel_mappings = 'not json' WHERE id = @id", new { id });
        }

        HttpResponseMessage list = await client.GetAsync("/api/v1/studies");
        HttpResponseMessage one = await client.GetAsync($"/api/v1/studies/{id}");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        JsonElement item = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[0];
        Assert.Equal(JsonValueKind.Null, item.GetProperty("duration_seconds").ValueKind);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(id, (await one.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
    }
}
