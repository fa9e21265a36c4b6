using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Microsoft.Data.Sqlite;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 9: /ready stayed 200 with the database files deleted or the data folder not
/// writable, and a write-locked database made uploads 500 after 30 s. Readiness checks that both
/// can be written; a busy database answers 503 with Retry-After.
/// </summary>
public sealed class Point09_ReadinessAndBusyDatabaseTests : IDisposable
{
    private readonly ApiFactory factory = new(overrides: new Dictionary<string, string> { ["Storage:BusyTimeout"] = "00:00:01" });

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task DatabaseFilesDeleted_ReadyIs503NamingTheDatabase()
    {
        // Anonymous, as a load balancer probes: with a key, the key lookup itself meets the missing database
        // (a 503 problem without the readiness body) whenever the pooled connection to the deleted file was
        // closed in between, which a busy CI machine made happen once.
        using HttpClient client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);

        foreach (string file in Directory.GetFiles(factory.DataDirectory, "sleepscoring.db*"))
        {
            File.Delete(file);
        }

        HttpResponseMessage ready = await client.GetAsync("/ready");
        JsonElement body = await ready.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False(body.GetProperty("database").GetBoolean());
        Assert.Contains("missing", body.GetProperty("database_problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataFolderCannotBeWritten_ReadyIs503NamingTheStorage()
    {
        using HttpClient client = factory.Admin();
        // The tests run as root, whom no file mode stops; a file where the folder should be cannot be written into either.
        string incoming = Path.Combine(factory.DataDirectory, "incoming");
        Directory.Delete(incoming, recursive: true);
        File.WriteAllText(incoming, string.Empty);

        HttpResponseMessage ready = await client.GetAsync("/ready");
        JsonElement body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        HttpResponseMessage upload = await client.UploadAsync(TestStudies.Eeg(2, seed: 91));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False(body.GetProperty("storage").GetBoolean());
        Assert.Contains("incoming/", body.GetProperty("storage_problem").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.DataDirectory, body.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, upload.StatusCode);
        Assert.NotNull(upload.Headers.RetryAfter);
        Assert.Equal("application/problem+json", upload.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WriteLockedDatabase_UploadIs503WithRetryAfter_WithinTheBusyTimeout_AndReadyIs503()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Eeg(2, seed: 92);
        await using var holder = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "sleepscoring.db")};Pooling=False");
        await holder.OpenAsync();
        await using SqliteTransaction writeLock = holder.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock
        using (SqliteCommand touch = holder.CreateCommand())
        {
            touch.Transaction = writeLock;
            touch.CommandText = "UPDATE api_keys SET name = name";
            await touch.ExecuteNonQueryAsync();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage upload = await client.UploadAsync(edf);
        TimeSpan waited = clock.Elapsed;
        HttpResponseMessage ready = await client.GetAsync("/ready");
        await writeLock.RollbackAsync();
        HttpResponseMessage afterwards = await client.UploadAsync(edf);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, upload.StatusCode);
        Assert.Equal("application/problem+json", upload.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(upload.Headers.RetryAfter);
        Assert.True(waited < TimeSpan.FromSeconds(15), $"waited {waited}");
        Assert.True(ready.StatusCode == HttpStatusCode.ServiceUnavailable, await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, afterwards.StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "incoming")));
    }
}
