using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>Issuing, listing and revoking keys; keys are stored only as their SHA-256.</summary>
public sealed class AdminEndpointsTests : IDisposable
{
    private readonly ApiFactory factory = new(withModel: false);

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task IssuedKey_IsStoredAsItsSha256Only()
    {
        IssuedKeyBody key = await factory.IssueAsync(Roles.Clinician);

        // SHA-256 of the UTF-8 key computed here, independently of the service.
        string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Key)));
        Assert.Equal(expected, await StoreQueries.ScalarAsync<string>(factory.DataDirectory, $"SELECT key_sha256 FROM api_keys WHERE id = '{key.Id}'"));
        Assert.Equal(0, await StoreQueries.CountAsync(factory, $"SELECT COUNT(*) FROM api_keys WHERE key_sha256 = '{key.Key}' OR id = '{key.Key}' OR name = '{key.Key}'"));
        Assert.StartsWith("ssk_", key.Key, StringComparison.Ordinal);
        Assert.Null(key.CallbackSecret);
    }

    [Fact]
    public async Task IntegrationKey_GetsACallbackSecret()
    {
        IssuedKeyBody key = await factory.IssueAsync(Roles.Integration);

        Assert.False(string.IsNullOrEmpty(key.CallbackSecret));
    }

    [Fact]
    public async Task RevokedKey_StopsWorkingAtOnce()
    {
        IssuedKeyBody key = await factory.IssueAsync(Roles.Technician);
        using HttpClient user = factory.WithKey(key.Key);
        using HttpClient admin = factory.Admin();
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/v1/studies")).StatusCode);

        HttpResponseMessage revoked = await admin.DeleteAsync($"/api/v1/keys/{key.Id}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/v1/studies")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/keys/{key.Id}")).StatusCode);
    }

    [Fact]
    public async Task List_ShowsKeysWithoutSecrets()
    {
        IssuedKeyBody key = await factory.IssueAsync(Roles.Integration);
        using HttpClient admin = factory.Admin();

        string body = await admin.GetStringAsync("/api/v1/keys");

        Assert.Contains(key.Id, body, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Key, body, StringComparison.Ordinal);
        Assert.DoesNotContain(key.CallbackSecret!, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "admin", "name")]
    [InlineData("x", "root", "role")]
    public async Task Issue_InvalidRequest_IsAValidationProblem(string name, string role, string field)
    {
        using HttpClient admin = factory.Admin();

        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/v1/keys", new { name, role });
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
