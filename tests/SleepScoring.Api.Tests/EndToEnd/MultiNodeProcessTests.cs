using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Dapper;

using Npgsql;

using SleepScoring.Api.Tests.Support;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Tests.EndToEnd;

/// <summary>
/// Issue 16's acceptance: three service processes (Kestrel on 127.0.0.1) on one PostgreSQL and one
/// shared data folder take 30 uploads spread over them; one node is killed (SIGKILL) while it scores.
/// Every study is scored exactly once with the result a single node gives, without duplicate rows,
/// and each callback reaches the receiver once per event id (one the killed node had in flight may
/// arrive twice, with the same id, for the receiver to drop).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiNodeProcessTests(PostgresServer server) : IDisposable
{
    private const int Studies = 30, Epochs = 240;
    private readonly ContractModel model = new();
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-nodes-").FullName;

    public void Dispose()
    {
        model.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [SkippableFact]
    public async Task ThreeNodes_OneKilledMidScoring_EveryStudyScoredOnce_EveryCallbackOnce()
    {
        string database = await server.CreateDatabaseAsync();
        string shared = Path.Combine(directory, "shared");
        using var receiver = new CallbackReceiver([.. Enumerable.Repeat(HttpStatusCode.OK, 2 * Studies)]);
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["Database__ConnectionString"] = database,
            ["Storage__DataDirectory"] = shared,
            ["Scoring__LeaseDuration"] = "00:00:03",
            ["Callbacks__AllowedHosts__0"] = "127.0.0.1",
            ["Callbacks__PollInterval"] = "00:00:00.200",
            ["Callbacks__Timeout"] = "00:00:05",
            ["Callbacks__MaxAttempts"] = "2",
        };
        var nodes = new List<ServiceProcess>();
        try
        {
            for (int n = 0; n < 3; n++)
            {
                Directory.CreateDirectory(Path.Combine(directory, $"node{n}"));
                nodes.Add(await ServiceProcess.StartAsync(Path.Combine(directory, $"node{n}"), model.Directory, settings));
            }

            string key = await IssueIntegrationKeyAsync(nodes[0]);
            HttpClient[] clients = [.. nodes.Select(node => Client(node, key))];
            byte[][] edfs = [.. Enumerable.Range(0, Studies).Select(i => TestStudies.Eeg(Epochs, seed: 500 + i))];
            var ids = new string[Studies];
            for (int i = 0; i < Studies; i++)
            {
                ids[i] = await clients[i % 3].UploadStudyAsync(edfs[i], "?callback_url=" + Uri.EscapeDataString(receiver.Url));
            }

            ServiceProcess victim = nodes[2];
            await WaitForARunningJobAsync(database, victim.Id);
            victim.Kill();
            // What the dead node held: its claims stay in the table until their lease runs out.
            string[] killedWhileScoring = [.. await QueryAsync(database, $"SELECT study_id FROM jobs WHERE status = 'running' AND claimed_by LIKE '%:{victim.Id}:%'")];
            Assert.NotEmpty(killedWhileScoring);
            // A callback the dead node had claimed may have reached the receiver before the node could record it:
            // it is sent again, with the same event id, once that claim's lease runs out (at-least-once, docs/deployment.md).
            string[] callbacksInFlight = [.. await QueryAsync(database, $"SELECT study_id FROM callback_outbox WHERE claimed_by LIKE '%:{victim.Id}:%'")];
            await WaitUntilAllScoredAsync(database);
            await WaitUntilAsync(async () => await CountAsync(database, "SELECT COUNT(*) FROM callback_deliveries") == Studies && receiver.Received.Count >= Studies, "all callbacks recorded");
            await Task.Delay(TimeSpan.FromSeconds(1)); // a second delivery of any callback, were there one, would arrive now

            // Scored once each: one job, done at the first attempt; the killed node's job taken over with its interruption counted.
            Assert.Equal(Studies, await CountAsync(database, "SELECT COUNT(*) FROM jobs WHERE status = 'done' AND attempts = 1"));
            string[] scoredLines = [.. nodes.SelectMany(node => node.Lines).Where(line => line.Contains(" scored: ", StringComparison.Ordinal))];
            Assert.All(ids, id => Assert.Single(scoredLines, line => line.Contains($"Study {id} scored", StringComparison.Ordinal)));
            foreach (string taken in killedWhileScoring)
            {
                Assert.Equal(1, await CountAsync(database, $"SELECT interruptions FROM jobs WHERE study_id = '{taken}'"));
                Assert.Equal("recovered after its node's lease ran out", await ScalarAsync<string>(database, $"SELECT last_error FROM jobs WHERE study_id = '{taken}'"));
                Assert.Contains(nodes[0].Lines.Concat(nodes[1].Lines), line => line.Contains($"Study {taken} scored", StringComparison.Ordinal));
            }

            Assert.Equal(killedWhileScoring.Length, await CountAsync(database, "SELECT SUM(interruptions) FROM jobs"));

            // No duplicate rows, and each result is the one a single node computes.
            Assert.Equal(Studies * Epochs, await CountAsync(database, "SELECT COUNT(*) FROM epochs"));
            Assert.Equal(Studies * Epochs, await CountAsync(database, "SELECT COUNT(*) FROM (SELECT DISTINCT study_id, epoch FROM epochs) e"));
            using (StagingModel staging = StagingModel.Load(model.Directory))
            {
                for (int i = 0; i < Studies; i++)
                {
                    Assert.Equal(Reference(staging, edfs[i]), await clients[i % 2].GetStringAsync($"/api/v1/studies/{ids[i]}/hypnogram"));
                }
            }

            // Each callback delivered once, through the outbox: once per event id, and a second time only for a
            // callback the killed node held, with the same event id so that the receiver can drop it.
            var calledByStudy = receiver.Received
                .GroupBy(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("study_id").GetString()!)
                .ToDictionary(g => g.Key, g => g.ToArray());
            Assert.Equal(ids.Order(), calledByStudy.Keys.Order());
            foreach ((string study, CallbackRequest[] calls) in calledByStudy)
            {
                Assert.Single(calls.Select(c => c.EventId).Distinct());
                Assert.True(calls.Length == 1 || (calls.Length == 2 && callbacksInFlight.Contains(study)), $"study {study}: {calls.Length} deliveries, in flight on the killed node: {callbacksInFlight.Contains(study)}");
            }

            Assert.Equal(Studies, await CountAsync(database, "SELECT COUNT(*) FROM callback_deliveries WHERE status = 'delivered'"));
            Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM callback_outbox"));
        }
        finally
        {
            foreach (ServiceProcess node in nodes)
            {
                node.Dispose();
            }
        }
    }

    private static HttpClient Client(ServiceProcess node, string key)
    {
        var client = new HttpClient { BaseAddress = node.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<string> IssueIntegrationKeyAsync(ServiceProcess node)
    {
        using HttpClient admin = node.Client();
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/v1/keys", new { name = "hospital system", role = "integration" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>Returns as soon as the node holds a job.</summary>
    private static async Task WaitForARunningJobAsync(string database, int processId)
    {
        string? running = null;
        await WaitUntilAsync(
            async () => (running = await ScalarAsync<string?>(
                database,
                // Less than half done: with one statement for a night's epochs a small study is scored in
                // well under a second, and a job caught at its end could commit between this poll and the kill.
                $"SELECT j.study_id FROM jobs j JOIN studies s ON s.id = j.study_id WHERE j.status = 'running' AND j.claimed_by LIKE '%:{processId}:%' AND s.progress_percent < 50 LIMIT 1")) is not null,
            "the third node starts scoring a study");
    }

    private static Task WaitUntilAllScoredAsync(string database) =>
        WaitUntilAsync(async () => await CountAsync(database, "SELECT COUNT(*) FROM studies WHERE status IN ('scored', 'failed')") == Studies, "all studies finished");

    /// <summary>Polls (a bound of 5 minutes on a busy machine: a hang fails the test, it never blocks the suite).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (int i = 0; i < 3000; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"not reached within 5 minutes: {what}");
    }

    private static async Task<long> CountAsync(string database, string sql) => await ScalarAsync<long>(database, sql);

    private static async Task<IEnumerable<string>> QueryAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        return await connection.QueryAsync<string>(sql);
    }

    private static async Task<T?> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        return await connection.ExecuteScalarAsync<T>(sql);
    }

    /// <summary>The study scored in this process by one scorer: the JSON each node must serve.</summary>
    private static string Reference(StagingModel staging, byte[] edf)
    {
        using EdfReader reader = EdfReader.Open(new MemoryStream(edf));
        ScoredStudy scored = new StudyScorer(staging).Score(reader, new ScoringRequest());
        using var json = new MemoryStream();
        ScoredStudyJson.Write(scored, json);
        return System.Text.Encoding.UTF8.GetString(json.ToArray());
    }
}
