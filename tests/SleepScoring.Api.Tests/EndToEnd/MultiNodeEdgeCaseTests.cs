using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

using Dapper;

using Npgsql;

using SleepScoring.Api.Tests.Support;
using SleepScoring.Testbed;

namespace SleepScoring.Api.Tests.EndToEnd;

/// <summary>
/// Issue 16's edge cases of several service processes on one PostgreSQL and one shared folder: the
/// first-start sign-in link printed by one node only; a callback sent again by another node after
/// the first died before recording it, with the same event id; SIGTERM handing a running job back
/// without counting it; and /ready naming an unreachable server and an unwritable shared folder.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class MultiNodeEdgeCaseTests(PostgresServer server) : IDisposable
{
    private const string Notice = "Another node of this deployment printed the one-time sign-in";
    private readonly ContractModel model = new();
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-edges-").FullName;
    private readonly List<ServiceProcess> nodes = [];

    public void Dispose()
    {
        foreach (ServiceProcess node in nodes)
        {
            node.Dispose();
        }

        model.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [SkippableFact]
    public async Task ThreeNodesStartingWithoutKeys_OnePrintsTheSignInLink_TheOthersSayAnotherNodeDid()
    {
        Dictionary<string, string> settings = Shared(await server.CreateDatabaseAsync());
        settings["Security__BootstrapAdminKey"] = string.Empty;
        settings["Scoring__ModelDirectory"] = Path.Combine(directory, "no-model");

        await Task.WhenAll(Enumerable.Range(0, 3).Select(n => StartAsync(n, settings)));
        await WaitUntilAsync(() => Task.FromResult(nodes.All(node => node.Lines.Any(l => LinkPattern().IsMatch(l) || l.Contains(Notice, StringComparison.Ordinal)))), "every node said something about the sign-in link");

        ServiceProcess printer = Assert.Single(nodes, node => node.Lines.Any(l => LinkPattern().IsMatch(l)));
        Assert.All(nodes.Where(node => node != printer), node => Assert.Contains(node.Lines, l => l.Contains(Notice, StringComparison.Ordinal)));
        string token = printer.Lines.Select(l => LinkPattern().Match(l)).First(m => m.Success).Groups["token"].Value;
        using var anonymous = new HttpClient { BaseAddress = printer.Address };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/sign-in/link", new { token })).StatusCode); // the printed link is the one that works
    }

    [SkippableFact]
    public async Task ANodeKilledAfterTheReceiverAnswered_AnotherNodeSendsTheCallbackAgain_WithTheSameEventId()
    {
        string database = await server.CreateDatabaseAsync();
        Dictionary<string, string> settings = Shared(database);
        settings["Callbacks__AllowedHosts__0"] = "127.0.0.1";
        // The callback lease: 2 × 3 s + 5 s. At 1 s a loaded machine (the whole suite on two cores) let the
        // first node time out on the receiver before it answered and record the callback as failed.
        settings["Callbacks__Timeout"] = "00:00:03";
        settings["Callbacks__MaxAttempts"] = "1";
        settings["Callbacks__PollInterval"] = "00:00:00.200";
        using var receiver = new CallbackReceiver(HttpStatusCode.OK, HttpStatusCode.OK);
        ServiceProcess first = await StartAsync(0, settings);
        receiver.BeforeAnswer = n =>
        {
            if (n == 1)
            {
                first.Kill(); // the receiver has the callback; its sender dies before recording the delivery
            }
        };

        using HttpClient admin = first.Client();
        string key = (await (await admin.PostAsJsonAsync("/api/v1/keys", new { name = "his", role = "integration" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using HttpClient integration = Client(first, key);
        string id = await integration.UploadStudyAsync(TestStudies.Eeg(4, seed: 71), "?callback_url=" + Uri.EscapeDataString(receiver.Url));
        await WaitUntilAsync(() => Task.FromResult(receiver.Received.Count == 1), "the first delivery");
        settings["Scoring__Enabled"] = "false"; // the second node only serves and sends callbacks
        await StartAsync(1, settings);
        await WaitUntilAsync(async () => await ScalarAsync<long>(database, "SELECT COUNT(*) FROM callback_deliveries") == 1, "the second delivery recorded");
        Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM callback_deliveries WHERE status = 'delivered'"));

        CallbackRequest[] calls = [.. receiver.Received];
        Assert.Equal(2, calls.Length);
        Assert.Equal(calls[0].EventId, calls[1].EventId);
        Assert.Matches("^evt_[0-9a-f]{32}$", calls[0].EventId);
        Assert.All(calls, c => Assert.Equal(calls[0].EventId, JsonDocument.Parse(c.Body).RootElement.GetProperty("event_id").GetString()));
        Assert.All(calls, c => Assert.Equal(id, JsonDocument.Parse(c.Body).RootElement.GetProperty("study_id").GetString()));
        Assert.Equal(0L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM callback_outbox"));
    }

    [SkippableFact]
    public async Task SigtermWhileScoring_HandsTheJobBack_AndAnotherNodeScoresIt_WithoutACountedAttemptOrInterruption()
    {
        string database = await server.CreateDatabaseAsync();
        Dictionary<string, string> settings = Shared(database);
        ServiceProcess first = await StartAsync(0, settings);
        using HttpClient client = first.Client();
        string id = await client.UploadStudyAsync(TestStudies.Eeg(1500, seed: 72)); // 12.5 h: seconds of scoring
        await WaitUntilAsync(async () => await ScalarAsync<string?>(database, $"SELECT status FROM jobs WHERE study_id = '{id}'") == "running", "the first node scores");

        int? exit = await first.TerminateAsync();

        Assert.Equal(0, exit);
        Assert.True(
            ("queued", 0L, 0L, true) == await ScalarAsync<(string, long, long, bool)>(database, $"SELECT status, attempts, interruptions, claimed_by IS NULL FROM jobs WHERE study_id = '{id}'"),
            $"{await ScalarAsync<string?>(database, $"SELECT last_error FROM jobs WHERE study_id = '{id}'")}\n{first.Output}");
        await StartAsync(1, settings);
        await WaitUntilAsync(async () => await ScalarAsync<string?>(database, $"SELECT status FROM studies WHERE id = '{id}'") == "scored", "the second node scores it");
        Assert.Equal(("done", 1L, 0L), await ScalarAsync<(string, long, long)>(database, $"SELECT status, attempts, interruptions FROM jobs WHERE study_id = '{id}'"));
    }

    [SkippableFact]
    public async Task Ready_NamesAnUnwritableSharedFolder_AndAnUnreachableServer()
    {
        server.Require();
        ThrowawayPostgres own = await ThrowawayPostgres.StartAsync(); // stopped below, so not the shared fixture
        ServiceProcess node;
        try
        {
            node = await StartAsync(0, Shared(await own.CreateDatabaseAsync("ready")));
            using var anonymous = new HttpClient { BaseAddress = node.Address };
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/ready")).StatusCode);

            // Root ignores file modes: a file where the shared folder's incoming/ should be cannot be written into.
            string incoming = Path.Combine(directory, "shared", "incoming");
            Directory.Delete(incoming, recursive: true);
            await File.WriteAllTextAsync(incoming, string.Empty);
            (HttpStatusCode status, JsonElement body) = await ReadyAsync(anonymous);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal((true, false), (body.GetProperty("database").GetBoolean(), body.GetProperty("storage").GetBoolean()));
            Assert.Contains("incoming/", body.GetProperty("storage_problem").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await own.DisposeAsync();
        }

        using var after = new HttpClient { BaseAddress = node.Address };
        (HttpStatusCode down, JsonElement stopped) = await ReadyAsync(after);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.False(stopped.GetProperty("database").GetBoolean());
        Assert.Contains("PostgreSQL server", stopped.GetProperty("database_problem").GetString(), StringComparison.Ordinal);
    }

    private Dictionary<string, string> Shared(string database) => new()
    {
        ["Database__Provider"] = "PostgreSql",
        ["Database__ConnectionString"] = database,
        ["Storage__DataDirectory"] = Path.Combine(directory, "shared"),
        ["Scoring__LeaseDuration"] = "00:00:03",
    };

    private async Task<ServiceProcess> StartAsync(int n, IReadOnlyDictionary<string, string> settings)
    {
        string working = Directory.CreateDirectory(Path.Combine(directory, $"node{n}")).FullName;
        ServiceProcess node = await ServiceProcess.StartAsync(working, model.Directory, new Dictionary<string, string>(settings));
        lock (nodes)
        {
            nodes.Add(node);
        }

        return node;
    }

    private static HttpClient Client(ServiceProcess node, string key)
    {
        var client = new HttpClient { BaseAddress = node.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<(HttpStatusCode, JsonElement)> ReadyAsync(HttpClient client)
    {
        using HttpResponseMessage ready = await client.GetAsync("/ready");
        return (ready.StatusCode, await ready.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        return await connection.QuerySingleAsync<T>(sql);
    }

    /// <summary>Polls (a bound of 3 minutes on a busy machine: a hang fails the test, it never blocks the suite).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (int i = 0; i < 1800; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"not reached within 3 minutes: {what}");
    }

    [GeneratedRegex(@"http://(?<host>[^:/]+):(?<port>\d+)/signin#token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();
}
