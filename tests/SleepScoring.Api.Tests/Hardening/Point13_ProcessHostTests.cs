using System.Net;
using System.Text.Json;

using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 13, against the real process: Kestrel's 414 and 431 come with problem bodies,
/// and the configuration is the app folder's although the process starts in another folder.
/// </summary>
public sealed class Point13_ProcessHostTests : IDisposable
{
    private readonly ContractModel model = new();
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-host-").FullName;

    public void Dispose()
    {
        model.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task TooLongTargetAndTooLargeHeaders_AreProblemBodies_AndTheAppFoldersConfigurationIsUsed()
    {
        using ServiceProcess service = await ServiceProcess.StartAsync(directory, model.Directory); // the working directory is not the app folder
        using HttpClient client = service.Client();

        HttpResponseMessage longTarget = await client.GetAsync("/api/v1/studies?status=" + new string('x', 10_000));
        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, "/api/v1/studies");
        bigHeaders.Headers.Add("X-Filler", new string('y', 40_000));
        HttpResponseMessage tooLarge = await client.SendAsync(bigHeaders);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, longTarget.StatusCode);
        Assert.Equal("application/problem+json", longTarget.Content.Headers.ContentType?.MediaType);
        Assert.Equal(414, JsonDocument.Parse(await longTarget.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);

        // appsettings.json (beside the service's dll) sets the JSON console formatter: every log line is a JSON object.
        string[] lines = [.. service.Output.Split('\n').Where(l => l.Length > 0)];
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(l).RootElement.ValueKind));
    }
}
