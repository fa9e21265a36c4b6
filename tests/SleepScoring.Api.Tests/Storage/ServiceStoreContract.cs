using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Dapper;

using Microsoft.Extensions.DependencyInjection;

using SleepScoring.Api.Security;
using SleepScoring.Api.Storage.Sql;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>
/// Every store of the service through its endpoints, run on each provider below with the same
/// assertions: studies, jobs and results (scored once, one row per epoch), corrections, sign-off and
/// its lock, the audit, keys, Idempotency-Keys, and callbacks through the outbox (one delivery).
/// </summary>
public abstract class ServiceStoreContract
{
    /// <summary>A service on a fresh database of the provider, with these further settings.</summary>
    private protected abstract Task<ApiFactory> CreateAsync(Dictionary<string, string> settings);

    [SkippableFact]
    public async Task AStudyIsScoredOnce_Reviewed_SignedOffAndLocked()
    {
        using ApiFactory factory = await CreateAsync([]);
        using HttpClient technician = await factory.ClientAsync(Roles.Technician);
        using HttpClient clinician = await factory.ClientAsync(Roles.Clinician);

        string id = await technician.ScoreAsync(TestStudies.Eeg(4, seed: 60), "?label=night%20one");
        string study = $"/api/v1/studies/{id}";
        JsonElement page = await technician.GetFromJsonAsync<JsonElement>("/api/v1/studies?status=scored&label=NIGHT");
        (await clinician.PutAsJsonAsync($"{study}/epochs/1/stage", new { stage = "N3", reason = "slow waves" })).EnsureSuccessStatusCode();
        (await clinician.PutAsJsonAsync($"{study}/epochs/2/stage", new { stage = "R" })).EnsureSuccessStatusCode();
        (await clinician.DeleteAsync($"{study}/epochs/2/stage")).EnsureSuccessStatusCode();
        HttpResponseMessage signed = await clinician.PostAsJsonAsync($"{study}/sign-off", new { statement = "reviewed" });
        HttpResponseMessage locked = await clinician.PutAsJsonAsync($"{study}/epochs/3/stage", new { stage = "W" });
        JsonElement audit = await clinician.GetFromJsonAsync<JsonElement>($"{study}/audit");
        JsonElement epoch = await clinician.GetFromJsonAsync<JsonElement>($"{study}/epochs/1");

        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Contains("N3", epoch.ToString(), StringComparison.Ordinal);
        Assert.Equal(["correct", "correct", "withdraw", "sign_off"], audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(4L, await CountAsync(factory, $"SELECT COUNT(*) FROM epochs WHERE study_id = '{id}'"));
        Assert.Equal(1L, await CountAsync(factory, $"SELECT COUNT(*) FROM jobs WHERE study_id = '{id}' AND status = 'done' AND attempts = 1"));
    }

    [SkippableFact]
    public async Task AnIdempotencyKey_AnswersARepeatWithTheFirstStudy()
    {
        using ApiFactory factory = await CreateAsync([]);
        using HttpClient technician = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Eeg(2, seed: 61);

        HttpResponseMessage first = await technician.UploadAsync(edf, idempotencyKey: "upload-61");
        HttpResponseMessage again = await technician.UploadAsync(edf, idempotencyKey: "upload-61");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Equal(1L, await CountAsync(factory, "SELECT COUNT(*) FROM studies"));
    }

    [SkippableFact]
    public async Task ARevokedKey_IsRefused()
    {
        using ApiFactory factory = await CreateAsync([]);
        IssuedKeyBody issued = await factory.IssueAsync(Roles.Clinician);
        using HttpClient clinician = factory.WithKey(issued.Key);
        using HttpClient admin = factory.Admin();
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/keys/{issued.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await clinician.GetAsync("/api/v1/me")).StatusCode);
    }

    [SkippableFact]
    public async Task TheCallbackOfAScoredStudy_IsDeliveredOnceThroughTheOutbox()
    {
        using var receiver = new CallbackReceiver(HttpStatusCode.OK);
        using ApiFactory factory = await CreateAsync(new() { ["Callbacks:AllowedHosts:0"] = "127.0.0.1" });
        using HttpClient integration = factory.WithKey((await factory.IssueAsync(Roles.Integration)).Key);

        string id = await integration.ScoreAsync(TestStudies.Eeg(2, seed: 62), "?callback_url=" + Uri.EscapeDataString(receiver.Url));
        for (int i = 0; i < 200 && await CountAsync(factory, "SELECT COUNT(*) FROM callback_deliveries") == 0; i++)
        {
            await Task.Delay(50);
        }

        await Task.Delay(300); // a second delivery, were there one, would arrive now
        (byte[] body, _, string? eventId, _) = Assert.Single(receiver.Received);
        Assert.Equal(id, JsonDocument.Parse(body).RootElement.GetProperty("study_id").GetString());
        Assert.Matches("^evt_[0-9a-f]{32}$", eventId);
        Assert.Equal(eventId, JsonDocument.Parse(body).RootElement.GetProperty("event_id").GetString());
        Assert.Equal(1L, await CountAsync(factory, $"SELECT COUNT(*) FROM callback_deliveries WHERE study_id = '{id}' AND status = 'delivered'"));
        Assert.Equal(0L, await CountAsync(factory, "SELECT COUNT(*) FROM callback_outbox"));
    }

    [SkippableFact]
    public async Task Ready_ReportsTheDatabaseAndTheDataFolder()
    {
        using ApiFactory factory = await CreateAsync([]);
        using HttpClient anonymous = factory.WithKey(null);

        JsonElement ready = await anonymous.GetFromJsonAsync<JsonElement>("/ready");

        Assert.True(ready.GetProperty("database").GetBoolean(), ready.ToString());
        Assert.True(ready.GetProperty("storage").GetBoolean(), ready.ToString());
    }

    /// <summary>A count read through the service's own database, whatever its provider.</summary>
    private static async Task<long> CountAsync(ApiFactory factory, string sql)
    {
        await using DbConnection c = await factory.Services.GetRequiredService<ISqlDatabase>().OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql);
    }
}

/// <summary>The service contract on SQLite (the default).</summary>
public sealed class SqliteServiceStoreTests : ServiceStoreContract
{
    private protected override Task<ApiFactory> CreateAsync(Dictionary<string, string> settings) => Task.FromResult(new ApiFactory(overrides: settings));
}

/// <summary>The service contract on a real PostgreSQL (Debian's postgresql package), a database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServiceStoreTests(PostgresServer server) : ServiceStoreContract
{
    private protected override async Task<ApiFactory> CreateAsync(Dictionary<string, string> settings)
    {
        settings["Database:Provider"] = "PostgreSql";
        settings["Database:ConnectionString"] = await server.CreateDatabaseAsync();
        return new ApiFactory(overrides: settings);
    }
}
