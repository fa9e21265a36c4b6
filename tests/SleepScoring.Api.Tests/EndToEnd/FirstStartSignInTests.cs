using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.EndToEnd;

/// <summary>The real service started with no key: it prints a one-time loopback sign-in link on the console.</summary>
public sealed partial class FirstStartSignInTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-signin-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task FirstStart_PrintsALinkThatSignsInOnce_AsAdmin_AndTheKeyIsNotLogged()
    {
        using ServiceProcess service = await ServiceProcess.StartAsync(directory, Path.Combine(directory, "no-model"), new Dictionary<string, string> { ["Security__BootstrapAdminKey"] = string.Empty });
        Match link = await WaitForLinkAsync(service);
        using var anonymous = new HttpClient { BaseAddress = service.Address };

        Assert.Equal(service.Address.Port, int.Parse(link.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("127.0.0.1", link.Groups["host"].Value);
        HttpResponseMessage page = await anonymous.GetAsync("/signin");
        HttpResponseMessage first = await anonymous.PostAsJsonAsync("/api/v1/sign-in/link", new { token = link.Groups["token"].Value });
        HttpResponseMessage second = await anonymous.PostAsJsonAsync("/api/v1/sign-in/link", new { token = link.Groups["token"].Value });

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        string key = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
        using var admin = new HttpClient { BaseAddress = service.Address };
        admin.DefaultRequestHeaders.Add("X-Api-Key", key);
        JsonElement me = await admin.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("admin", me.GetProperty("role").GetString());
        Assert.Contains("admin", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.DoesNotContain(service.Lines, line => line.Contains(key, StringComparison.Ordinal)); // the key itself never reaches the console
    }

    [Fact]
    public async Task WithABootstrapKey_NoLinkIsPrinted()
    {
        using ServiceProcess service = await ServiceProcess.StartAsync(directory, Path.Combine(directory, "no-model"));
        await Task.Delay(1000);

        Assert.DoesNotContain(service.Lines, line => line.Contains("/signin#token=", StringComparison.Ordinal));
    }

    private static async Task<Match> WaitForLinkAsync(ServiceProcess service)
    {
        for (int i = 0; i < 100; i++)
        {
            foreach (string line in service.Lines)
            {
                if (LinkPattern().Match(line) is { Success: true } match)
                {
                    return match;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no sign-in link printed: {service.Output}");
    }

    [GeneratedRegex(@"http://(?<host>[^:/]+):(?<port>\d+)/signin#token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();
}
