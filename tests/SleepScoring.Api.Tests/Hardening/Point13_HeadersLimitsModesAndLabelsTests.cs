using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 13: security headers on every response (nosniff, CSP and frame-ancestors on
/// pages, no-store on patient data and on the key-issue response), WWW-Authenticate on 401, bodies
/// on Kestrel's 414/431, files 0600 and folders 0700, configuration from the app folder whatever
/// the working directory, and the stage labels the exports write accepted as corrections.
/// </summary>
public sealed partial class Point13_HeadersLimitsModesAndLabelsTests : IDisposable
{
    private readonly ApiFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task EveryResponse_CarriesTheSecurityHeaders_PagesAStrictPolicy_ApiNoStore()
    {
        using HttpClient admin = factory.Admin();
        HttpResponseMessage page = await factory.WithKey(null).GetAsync("/");
        HttpResponseMessage reference = await factory.WithKey(null).GetAsync("/scalar/v1");
        HttpResponseMessage list = await admin.GetAsync("/api/v1/studies");
        HttpResponseMessage issued = await admin.PostAsJsonAsync("/api/v1/keys", new { name = "n", role = "clinician" });
        HttpResponseMessage missing = await admin.GetAsync("/api/v1/studies/st_none");

        foreach (HttpResponseMessage r in new[] { page, reference, list, issued, missing })
        {
            Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
            Assert.Contains("frame-ancestors 'none'", Header(r, "Content-Security-Policy"), StringComparison.Ordinal);
        }

        string policy = Header(page, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: blob:", policy, StringComparison.Ordinal);
        foreach (HttpResponseMessage r in new[] { list, issued, missing })
        {
            Assert.True(r.Headers.CacheControl?.NoStore, $"{r.RequestMessage?.RequestUri}: {r.Headers.CacheControl}");
        }

        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Fact]
    public async Task ThePage_HasNoInlineScript_SoTheStrictPolicyLetsItRun()
    {
        string html = await factory.WithKey(null).GetStringAsync("/");

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineHandler(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unauthorized_SaysHowToAuthenticate()
    {
        HttpResponseMessage none = await factory.WithKey(null).GetAsync("/api/v1/studies");
        HttpResponseMessage wrong = await factory.WithKey("ssk_wrong").GetAsync("/api/v1/studies");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", Assert.Single(none.Headers.WwwAuthenticate).Scheme);
        Assert.Contains("invalid_token", Assert.Single(wrong.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
    }

    [SkippableFact]
    public async Task DataFolder_FilesAre0600_FoldersAre0700()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        await client.ScoreAsync(TestStudies.Eeg(2, seed: 131));

        foreach (string directory in Directory.EnumerateDirectories(factory.DataDirectory, "*", SearchOption.AllDirectories).Append(factory.DataDirectory))
        {
            Assert.True(Mode(directory) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), $"{directory}: {Mode(directory)}");
        }

        string[] files = Directory.GetFiles(factory.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("study.edf", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("sleepscoring.db-wal", StringComparison.Ordinal));
        foreach (string file in files)
        {
            Assert.True(Mode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file}: {Mode(file)}");
        }
    }

    [Theory]
    [InlineData("REM", "R")]
    [InlineData("Art", "artefact")]
    [InlineData("Uns", "unscored")]
    [InlineData("3", "N3")]
    [InlineData("Sleep stage 2", "N2")]
    [InlineData("n1", "N1")]
    public async Task StageLabelsTheExportsWrite_AreAcceptedAsCorrections(string label, string stored)
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        string id = await client.ScoreAsync(TestStudies.Eeg(2, seed: 132));

        HttpResponseMessage response = await client.PutAsJsonAsync($"/api/v1/studies/{id}/epochs/1/stage", new { stage = label });
        JsonElement epoch = await client.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}/epochs/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(stored, epoch.GetProperty("scorer_stage").GetString());
    }

    private static UnixFileMode Mode(string path) => OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);

    private static string Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(", ", values) : string.Empty;

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}
