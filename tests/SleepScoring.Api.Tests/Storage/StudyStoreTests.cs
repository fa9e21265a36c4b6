using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Dapper;

using Microsoft.Data.Sqlite;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>The study store over HTTP where a stored row is one this version cannot read.</summary>
public sealed class StudyStoreTests : IDisposable
{
    private readonly ApiFactory factory = new(withModel: false);

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task ARowWithAnUnknownStatus_IsLeftOutOfListings_AndIsAClearErrorAlone()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        string readable = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 160));
        string unknown = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 161));
        // As a newer version might store it (the CHECK constraint of this version's schema set aside).
        await using (var c = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "sleepscoring.db")};Pooling=False"))
        {
            await c.ExecuteAsync("PRAGMA ignore_check_constraints = ON; UPDATE studies SET status = 'archived' WHERE id = @unknown", new { unknown });
        }

        HttpResponseMessage list = await client.GetAsync("/api/v1/studies");
        HttpResponseMessage one = await client.GetAsync($"/api/v1/studies/{unknown}");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        JsonElement items = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
        Assert.Equal([readable], items.EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Contains(factory.Logs.Lines, l => l.Contains(unknown, StringComparison.Ordinal) && l.Contains("'archived'", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.InternalServerError, one.StatusCode);
        Assert.Equal("application/problem+json", one.Content.Headers.ContentType?.MediaType);
        string detail = (await one.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains($"study {unknown} holds status 'archived'", detail, StringComparison.Ordinal);
    }
}
