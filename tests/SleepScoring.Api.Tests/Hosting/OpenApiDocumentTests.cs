using System.Text.Json;
using System.Text.Json.Nodes;

using SleepScoring.Api.Tests.Support;
using SleepScoring.Tests.Common;

namespace SleepScoring.Api.Tests.Hosting;

/// <summary>
/// The served OpenAPI document and the checked-in <c>schemas/openapi.json</c> must not drift.
/// To regenerate after an API change: <c>SLEEPSCORING_WRITE_OPENAPI=1 dotnet test tests/SleepScoring.Api.Tests --filter OpenApiDocumentTests</c>.
/// </summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    private static readonly string CheckedIn = Path.Combine(SharedData.RepositoryRoot, "schemas", "openapi.json");

    private readonly ApiFactory factory = new(withModel: false);

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task ServedDocument_EqualsTheCheckedInDocument()
    {
        using HttpClient client = factory.WithKey(null);
        string served = Canonical(await client.GetStringAsync("/openapi/v1.json"));
        if (Environment.GetEnvironmentVariable("SLEEPSCORING_WRITE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CheckedIn, served + "\n");
        }

        Assert.True(File.Exists(CheckedIn), $"{CheckedIn} is missing; regenerate it (see this test's summary)");
        Assert.True(Canonical(await File.ReadAllTextAsync(CheckedIn)) == served, "schemas/openapi.json differs from the served document; regenerate it (see this test's summary)");
    }

    [Fact]
    public async Task Document_DescribesEveryEndpointAndTheKeyScheme()
    {
        using HttpClient client = factory.WithKey(null);
        JsonElement document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        string[] paths = [.. document.GetProperty("paths").EnumerateObject().Select(p => p.Name)];
        foreach (string path in new[]
        {
            "/api/v1/studies", "/api/v1/studies/{id}", "/api/v1/studies/{id}/hypnogram", "/api/v1/studies/{id}/hypnogram.png",
            "/api/v1/studies/{id}/statistics", "/api/v1/studies/{id}/review", "/api/v1/studies/{id}/epochs/{n}",
            "/api/v1/studies/{id}/epochs/{n}/image.png", "/api/v1/studies/{id}/epochs/{n}/stage", "/api/v1/studies/{id}/stages",
            "/api/v1/studies/{id}/corrections", "/api/v1/model", "/api/v1/keys", "/api/v1/keys/{keyId}", "/health", "/ready",
            "/api/v1/studies/{id}/signals", "/api/v1/studies/{id}/sign-off", "/api/v1/studies/{id}/audit", "/api/v1/studies/{id}/report.pdf",
            "/api/v1/studies/events", "/api/v1/me", "/api/v1/sign-in/link",
        })
        {
            Assert.Contains(path, paths);
        }

        Assert.Equal("X-Api-Key", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString());
    }

    private static string Canonical(string json) => JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
