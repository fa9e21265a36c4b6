using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Microsoft.Extensions.DependencyInjection;

using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary><c>/api/v1/me</c>, the sign-in link's rules, and the pages served for the workstation's deep links.</summary>
public sealed class SessionEndpointsTests : IDisposable
{
    private readonly ApiFactory factory = new(withModel: false);

    public void Dispose() => factory.Dispose();

    [Theory]
    [InlineData(Roles.Technician, new[] { "read", "upload", "correct" })]
    [InlineData(Roles.Clinician, new[] { "read", "correct", "sign_off" })]
    [InlineData(Roles.Integration, new[] { "read", "upload" })]
    [InlineData(Roles.Admin, new[] { "read", "upload", "admin" })]
    public async Task Me_NamesTheKeyItsRoleAndWhatItMayDo(string role, string[] permissions)
    {
        IssuedKeyBody key = await factory.IssueAsync(role);
        using HttpClient client = factory.WithKey(key.Key);

        JsonElement me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");

        Assert.Equal(key.Id, me.GetProperty("key_id").GetString());
        Assert.Equal(role, me.GetProperty("role").GetString());
        Assert.Equal(permissions, me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task SignInLink_FromANonLoopbackCaller_IsRefused()
    {
        // The in-memory test server has no remote address: like a caller from another machine.
        using HttpClient client = factory.WithKey(null);

        HttpResponseMessage response = await client.PostAsJsonAsync("/api/v1/sign-in/link", new { token = "x" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SignInLinkStore_RedeemsATokenOnce_AndANewLinkRetiresTheOld()
    {
        ISignInLinkStore links = factory.Services.GetRequiredService<ISignInLinkStore>();

        string old = await links.CreateAsync(CancellationToken.None);
        string token = await links.CreateAsync(CancellationToken.None);

        Assert.Null(await links.RedeemAsync(old, CancellationToken.None));
        Assert.Equal(Roles.Admin, (await links.RedeemAsync(token, CancellationToken.None))?.Role);
        Assert.Null(await links.RedeemAsync(token, CancellationToken.None));
        Assert.Null(await links.RedeemAsync("not-a-token", CancellationToken.None));
    }

    [Theory]
    [InlineData("/review/st_0123/17")]
    [InlineData("/signin")]
    [InlineData("/")]
    public async Task WorkstationPages_AreServedWithoutAKey(string path)
    {
        using HttpClient client = factory.WithKey(null);

        HttpResponseMessage response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(new[] { "http://0.0.0.0:8080" }, "http://127.0.0.1:8080")]
    [InlineData(new[] { "http://[::]:5000" }, "http://127.0.0.1:5000")]
    [InlineData(new[] { "https://localhost:7001", "http://localhost:5001" }, "http://127.0.0.1:5001")]
    [InlineData(new[] { "http://+:80" }, "http://127.0.0.1:80")]
    public void LinkOrigin_IsTheLoopbackAddressOfTheFirstHttpBinding(string[] addresses, string origin)
    {
        Assert.Equal(origin, SleepScoring.Api.Hosting.FirstStartSignIn.LoopbackOrigin(addresses));
    }
}
