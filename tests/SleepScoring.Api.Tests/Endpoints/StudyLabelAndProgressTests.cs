using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>The upload label and the list's filters, the uploader's role, and the live progress stream.</summary>
public sealed class StudyLabelAndProgressTests : IAsyncLifetime
{
    private readonly ApiFactory factory = new();
    private HttpClient technician = null!;

    public async Task InitializeAsync() => technician = await factory.ClientAsync(Roles.Technician);

    public Task DisposeAsync()
    {
        technician.Dispose();
        factory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Label_IsStored_Listed_AndFound_WithTheUploadersRole()
    {
        string id = await technician.UploadStudyAsync(TestStudies.Eeg(3, seed: 71), "?label=ORD%2042_a");
        await technician.UploadStudyAsync(TestStudies.Eeg(3, seed: 72), "?label=ORD-43");

        JsonElement study = await technician.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}");
        JsonElement found = await technician.GetFromJsonAsync<JsonElement>("/api/v1/studies?label=d%2042_");
        JsonElement none = await technician.GetFromJsonAsync<JsonElement>("/api/v1/studies?label=42%25"); // '%' matches itself, not anything

        Assert.Equal("ORD 42_a", study.GetProperty("label").GetString());
        Assert.Equal("technician", study.GetProperty("uploader_role").GetString());
        Assert.Equal(0, study.GetProperty("review").GetProperty("reviewed_epochs").GetInt32());
        Assert.Equal(JsonValueKind.Null, study.GetProperty("review").GetProperty("signed_off").ValueKind);
        Assert.Equal([id], found.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("?label=Smith%2C%20John")] // a comma: free text, not an order number
    [InlineData("?label=%3Cscript%3E")]
    public async Task Label_OutsideTheAlphabet_Is400NamingIt(string query)
    {
        HttpResponseMessage response = await technician.UploadAsync(TestStudies.Eeg(3, seed: 73), query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("label", out _));
    }

    [Theory]
    [InlineData("signed=maybe", "signed")]
    public async Task ListFilter_Invalid_Is400NamingIt(string query, string parameter)
    {
        HttpResponseMessage response = await technician.GetAsync("/api/v1/studies?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task ProgressStream_ReportsAnUploadUntilItIsScored()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/studies/events");
        using HttpResponseMessage response = await technician.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        string id = await technician.UploadStudyAsync(TestStudies.Eeg(20, seed: 74));
        var statuses = new List<string>();
        while (!statuses.Contains("scored"))
        {
            string line = await reader.ReadLineAsync(cancel.Token) ?? throw new EndOfStreamException("the stream ended before the study was scored");
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                JsonElement study = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                Assert.Equal(id, study.GetProperty("id").GetString());
                statuses.Add(study.GetProperty("status").GetString()!);
            }
        }

        // Events follow the study forward: queued, scoring (as often as its percent moves), scored.
        int[] order = [.. statuses.Select(s => Array.IndexOf(["queued", "scoring", "scored"], s))];
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }
}
