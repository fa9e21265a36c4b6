using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 2: an Idempotency-Key reused with a different body answered 200 with the first
/// study. As the IETF idempotency-key draft has it: same key and same request → the original
/// response; same key and another request → 422; concurrent requests with one key → one study.
/// </summary>
public sealed class Point02_IdempotencyKeyTests : IDisposable
{
    private readonly ApiFactory factory = new(withModel: false);

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task SameKey_SameRequest_GetsTheOriginalResponse()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        byte[] edf = TestStudies.Eeg(2, seed: 21);

        HttpResponseMessage first = await client.UploadAsync(edf, "?lights_off=0", idempotencyKey: "order-1");
        HttpResponseMessage again = await client.UploadAsync(edf, "?lights_off=0", idempotencyKey: "order-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(1, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
    }

    [Theory]
    [InlineData(22, "?lights_off=0")] // another file, same settings
    [InlineData(21, "?lights_off=30")] // the same file, other settings
    public async Task SameKey_AnotherRequest_Is422_AndMakesNoStudy(int seed, string query)
    {
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        HttpResponseMessage first = await client.UploadAsync(TestStudies.Eeg(2, seed: 21), "?lights_off=0", idempotencyKey: "order-2");

        HttpResponseMessage other = await client.UploadAsync(TestStudies.Eeg(2, seed: seed), query, idempotencyKey: "order-2");
        JsonElement problem = await other.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("Idempotency-Key", problem.GetProperty("field").GetString());
        Assert.EndsWith("/idempotency-key-reused", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
        Assert.Single(Directory.GetDirectories(Path.Combine(factory.DataDirectory, "studies")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "incoming")));
    }

    [Fact]
    public async Task ConcurrentRequestsWithOneKey_MakeExactlyOneStudy_TheOthersAre409OrTheOriginal()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        byte[] edf = TestStudies.Eeg(150, seed: 23); // 1.8 MB: long enough to be received while the others arrive

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => client.UploadAsync(edf, idempotencyKey: "order-3"))));

        Assert.Equal(1, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Single(responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).Select(r => r.Headers.Location).Distinct());
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.Conflict), r => Assert.NotNull(r.Headers.RetryAfter));
    }

    [Fact]
    public async Task KeyOfARejectedRequest_IsFree_ForTheCorrectedRequest()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        HttpResponseMessage rejected = await client.UploadAsync(TestStudies.Patch(TestStudies.Eeg(2, seed: 24), 252, 4, "x"), idempotencyKey: "order-4");

        HttpResponseMessage corrected = await client.UploadAsync(TestStudies.Eeg(2, seed: 24), idempotencyKey: "order-4");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
    }
}
