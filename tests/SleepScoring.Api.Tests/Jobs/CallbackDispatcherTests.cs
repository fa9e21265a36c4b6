using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using SleepScoring.Analysis.Montage;
using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Jobs;

/// <summary>The signed "scoring ended" callback to a hospital system, retried until it is accepted.</summary>
public sealed class CallbackDispatcherTests
{
    [Fact]
    public async Task ScoredStudy_IsPostedSignedWithTheIntegrationSecret_AndRetriedAfterA500()
    {
        using var receiver = new CallbackReceiver(HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        using var factory = new ApiFactory(overrides: new Dictionary<string, string> { ["Callbacks:AllowedHosts:0"] = "127.0.0.1" });
        IssuedKeyBody key = await factory.IssueAsync(Roles.Integration);
        using HttpClient client = factory.WithKey(key.Key);

        string id = await client.ScoreAsync(TestStudies.Eeg(2, seed: 50), "?callback_url=" + Uri.EscapeDataString(receiver.Url));
        await WaitForAsync(() => receiver.Received.Count >= 2);
        await WaitForAsync(async () => await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM callback_deliveries") == 1);

        (byte[] body, string? signature, string? eventId, _) = receiver.Received.Last();
        // HMAC-SHA256 of the exact body bytes with the secret the key was issued with, computed here.
        string expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.CallbackSecret!), body));
        Assert.Equal(expected, signature);
        JsonElement payload = JsonDocument.Parse(body).RootElement;
        Assert.Equal(id, payload.GetProperty("study_id").GetString());
        Assert.Equal("scored", payload.GetProperty("status").GetString());
        Assert.Equal($"/api/v1/studies/{id}", payload.GetProperty("location").GetString());
        Assert.Equal(receiver.Received.First().Body, body); // the retry sends the same signed bytes
        Assert.Equal(receiver.Received.First().EventId, eventId); // and the same event id, in the header and the body
        Assert.Equal(eventId, payload.GetProperty("event_id").GetString());
        Assert.Equal(2, await StoreQueries.CountAsync(factory, $"SELECT attempts FROM callback_deliveries WHERE study_id = '{id}' AND status = 'delivered'"));
    }

    [Fact]
    public async Task EachFinishOfAStudy_IsItsOwnEvent_FailedThenScoredAfterARescore()
    {
        using var receiver = new CallbackReceiver(HttpStatusCode.OK, HttpStatusCode.OK);
        using var factory = new ApiFactory(
            overrides: new Dictionary<string, string> { ["Callbacks:AllowedHosts:0"] = "127.0.0.1" },
            services: ScriptedEngineFactory.Install((run, _) =>
            {
                if (run == 1)
                {
                    throw new MontageException("The study has no EEG signal: labels found 'Resp oro-nasal'.");
                }
            }));
        using HttpClient integration = factory.WithKey((await factory.IssueAsync(Roles.Integration)).Key);
        using HttpClient admin = await factory.ClientAsync(Roles.Admin);

        string id = await integration.UploadStudyAsync(TestStudies.Eeg(2, seed: 52), "?callback_url=" + Uri.EscapeDataString(receiver.Url));
        await WaitForAsync(async () => await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM callback_deliveries") == 1);
        (await admin.PostAsync($"/api/v1/studies/{id}/rescore", null)).EnsureSuccessStatusCode();
        await WaitForAsync(async () => await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM callback_deliveries") == 2);

        CallbackRequest[] calls = [.. receiver.Received];
        Assert.Equal(["failed", "scored"], calls.Select(c => JsonDocument.Parse(c.Body).RootElement.GetProperty("status").GetString()));
        Assert.Equal(["montage", null], calls.Select(c => JsonDocument.Parse(c.Body).RootElement.GetProperty("error_type").GetString()));
        Assert.All(calls, c => Assert.Equal(id, JsonDocument.Parse(c.Body).RootElement.GetProperty("study_id").GetString()));
        Assert.NotEqual(calls[0].EventId, calls[1].EventId); // a receiver that deduplicates by event id sees both
        Assert.All(calls, c => Assert.Matches("^evt_[0-9a-f]{32}$", c.EventId));
    }

    [Fact]
    public async Task UnreachableCallback_IsRecordedAsFailedAfterAllAttempts()
    {
        using var factory = new ApiFactory(overrides: new Dictionary<string, string> { ["Callbacks:MaxAttempts"] = "2", ["Callbacks:AllowedHosts:0"] = "127.0.0.1" });
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        string url = $"http://127.0.0.1:{SleepScoring.Testbed.LoopbackPort.Free()}/nobody-listens";

        string id = await client.ScoreAsync(TestStudies.Eeg(2, seed: 51), "?callback_url=" + Uri.EscapeDataString(url));
        await WaitForAsync(async () => await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM callback_deliveries") == 1);

        Assert.Equal(2, await StoreQueries.CountAsync(factory, $"SELECT attempts FROM callback_deliveries WHERE study_id = '{id}' AND status = 'failed'"));
    }

    private static Task WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("condition not met within 30 s");
    }
}
