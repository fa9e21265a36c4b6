using System.Net;

using Microsoft.Extensions.Options;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 10: thousands of wrong keys per second were answered without throttling,
/// <c>Security__BootstrapAdminKey=a</c> was accepted, and an old bootstrap key stayed valid after
/// it was changed. Failed authentications are rate-limited per client (429 with Retry-After, for
/// every key while it lasts), bootstrap keys need 32 random characters, a changed one revokes the old.
/// </summary>
public sealed class Point10_KeyGuessingAndBootstrapKeyTests
{
    [Fact]
    public async Task WrongKeys_BeyondTheLimit_Are429WithRetryAfter_ForAnyKeyFromThatClient()
    {
        using var factory = new ApiFactory(withModel: false, overrides: new Dictionary<string, string>
        {
            ["Security:FailedAuthentication:PermitLimit"] = "5",
            ["Security:FailedAuthentication:Window"] = "00:10:00",
        });
        using HttpClient admin = factory.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/studies")).StatusCode); // a valid key spends nothing

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 8; i++)
        {
            using HttpClient guess = factory.WithKey($"ssk_guess{i}");
            statuses.Add((await guess.GetAsync("/api/v1/studies")).StatusCode);
        }

        HttpResponseMessage throttled = await factory.WithKey("ssk_guess-again").GetAsync("/api/v1/studies");
        HttpResponseMessage validButThrottled = await admin.GetAsync("/api/v1/studies");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)), statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, throttled.Headers.RetryAfter?.ToString());
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.TooManyRequests, validButThrottled.StatusCode); // a guessed key would not be told apart
    }

    [Theory]
    [InlineData("a")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 40 characters, no entropy
    [InlineData("password")]
    [InlineData("abababababababababababababababab")]
    public void WeakBootstrapKey_TheServiceDoesNotStart_AndSaysWhyWithoutTheKey(string key)
    {
        OptionsValidationException e = StartFailure(key);

        Assert.Contains("Security:BootstrapAdminKey must be at least 32 random characters", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The exception the host's start throws. Under load, WebApplicationFactory's deferred host can
    /// lose a failed start's exception to an ObjectDisposedException (a race in Mvc.Testing between the
    /// app's own disposal and the factory's start, dotnet/aspnetcore#38335): a fresh factory then tries again.
    /// </summary>
    private static OptionsValidationException StartFailure(string key)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var factory = new ApiFactory(withModel: false, overrides: new Dictionary<string, string> { ["Security:BootstrapAdminKey"] = key });
            Exception? thrown = Record.Exception(() => factory.CreateClient());
            if (thrown is ObjectDisposedException && attempt < 5)
            {
                continue;
            }

            return Assert.IsType<OptionsValidationException>(thrown);
        }
    }

    [Fact]
    public async Task ChangedBootstrapKey_RevokesThePreviousOne()
    {
        const string Old = "old-bootstrap-Hq2Wm8Zr5Tv1Kc9Ly4Nd7Bf3Xs6Pj0Ge", New = "new-bootstrap-Tb6Yp1Rk9Vd3Mx7Qh2Jw5Lc8Nf4Gs0Za";
        string data = Directory.CreateTempSubdirectory("sleepscoring-bootstrap-").FullName;
        try
        {
            using (var first = new ApiFactory(withModel: false, overrides: new Dictionary<string, string> { ["Storage:DataDirectory"] = data, ["Security:BootstrapAdminKey"] = Old }))
            {
                Assert.Equal(HttpStatusCode.OK, (await first.WithKey(Old).GetAsync("/api/v1/keys")).StatusCode);
            }

            using var second = new ApiFactory(withModel: false, overrides: new Dictionary<string, string> { ["Storage:DataDirectory"] = data, ["Security:BootstrapAdminKey"] = New });

            Assert.Equal(HttpStatusCode.Unauthorized, (await second.WithKey(Old).GetAsync("/api/v1/keys")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await second.WithKey(New).GetAsync("/api/v1/keys")).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
