using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Security;

/// <summary>Integration keys see only studies they uploaded; people's roles see all.</summary>
public sealed class StudyAccessFilterTests : IDisposable
{
    private readonly ApiFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task OtherIntegration_CannotSeeTheStudy_EvenAfterUploadingTheSameFile()
    {
        using HttpClient hospitalA = await factory.ClientAsync(Roles.Integration);
        using HttpClient hospitalB = await factory.ClientAsync(Roles.Integration);
        using HttpClient clinician = await factory.ClientAsync(Roles.Clinician);
        byte[] edf = TestStudies.Eeg(2, seed: 70);
        string id = await hospitalA.ScoreAsync(edf);

        foreach (string path in new[] { "", "/hypnogram", "/statistics", "/epochs/0", "/corrections" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await hospitalB.GetAsync($"/api/v1/studies/{id}{path}")).StatusCode);
        }

        Assert.Equal(0, (await hospitalB.GetFromJsonAsync<JsonElement>("/api/v1/studies")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await hospitalA.GetFromJsonAsync<JsonElement>("/api/v1/studies")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync($"/api/v1/studies/{id}/hypnogram")).StatusCode);

        HttpResponseMessage again = await hospitalB.UploadAsync(edf); // the same file from B is B's own study (issue 13 point 3)…
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.NotEqual($"/api/v1/studies/{id}", again.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await hospitalB.GetAsync($"/api/v1/studies/{id}/hypnogram")).StatusCode); // …and A's stays A's
    }
}
