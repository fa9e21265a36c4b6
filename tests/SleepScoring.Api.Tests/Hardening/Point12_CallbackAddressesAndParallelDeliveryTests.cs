using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 12: callback_url could point at loopback or private addresses (SSRF), and one
/// dead receiver held every other callback. Internal addresses are refused unless
/// Callbacks:AllowedHosts permits them, at upload and again when a delivery connects; deliveries
/// run in parallel up to a bound.
/// </summary>
public sealed class Point12_CallbackAddressesAndParallelDeliveryTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost:9/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]:9/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    public async Task InternalCallbackUrl_IsRefusedAtUpload(string url)
    {
        using var factory = new ApiFactory(withModel: false);
        using HttpClient client = await factory.ClientAsync(Roles.Integration);

        HttpResponseMessage response = await client.UploadAsync(TestStudies.Eeg(2, seed: 121), "?callback_url=" + Uri.EscapeDataString(url));
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("callback_url", out _), problem.ToString());
    }

    [SkippableFact]
    public async Task NameThatResolvesInward_IsRefusedWhenTheDeliveryConnects()
    {
        // The machine's own name passes the URL check (it is no address and not 'localhost') but resolves inward.
        string name = Dns.GetHostName();
        IPAddress[] addresses = await Dns.GetHostAddressesAsync(name);
        Skip.IfNot(addresses.Length > 0 && addresses.All(SleepScoring.Api.Jobs.CallbackAddressRule.IsInternal), $"{name} resolves to a public address here");
        using var receiver = new CallbackReceiver();
        using var factory = new ApiFactory();
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        string url = receiver.Url.Replace("127.0.0.1", name, StringComparison.Ordinal);

        string id = await client.ScoreAsync(TestStudies.Eeg(2, seed: 122), "?callback_url=" + Uri.EscapeDataString(url));
        for (int i = 0; i < 200 && await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM callback_deliveries") == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal("failed", await StoreQueries.ScalarAsync<string>(factory.DataDirectory, $"SELECT status FROM callback_deliveries WHERE study_id = '{id}'"));
        Assert.StartsWith("refused", await StoreQueries.ScalarAsync<string>(factory.DataDirectory, $"SELECT last_error FROM callback_deliveries WHERE study_id = '{id}'"), StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task DeadReceiver_DoesNotHoldTheCallbackOfAnotherStudy()
    {
        // A receiver that accepts connections and never answers: each attempt waits for the 3-s timeout, three attempts.
        using var dead = new TcpListener(IPAddress.Loopback, 0);
        dead.Start();
        using var healthy = new CallbackReceiver();
        using var factory = new ApiFactory(overrides: new Dictionary<string, string>
        {
            ["Callbacks:AllowedHosts:0"] = "127.0.0.1",
            ["Callbacks:Timeout"] = "00:00:03",
            ["Callbacks:MaxAttempts"] = "3",
        });
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        string deadUrl = $"http://127.0.0.1:{((IPEndPoint)dead.LocalEndpoint).Port}/hook";

        await client.ScoreAsync(TestStudies.Eeg(2, seed: 123), "?callback_url=" + Uri.EscapeDataString(deadUrl));
        string id = await client.ScoreAsync(TestStudies.Eeg(2, seed: 124), "?callback_url=" + Uri.EscapeDataString(healthy.Url));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (healthy.Received.IsEmpty && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        Assert.False(healthy.Received.IsEmpty, "the healthy receiver got nothing");
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"the healthy callback waited {waited.Elapsed} behind the dead receiver");
        Assert.Equal(id, JsonDocument.Parse(healthy.Received.Single().Body).RootElement.GetProperty("study_id").GetString());
        Assert.Equal(0, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM callback_deliveries WHERE status = 'failed'")); // the dead one is still trying
    }
}
