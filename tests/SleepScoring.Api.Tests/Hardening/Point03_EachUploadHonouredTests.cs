using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 3: the same file uploaded by a second integration key answered with the first
/// study, dropping the second caller's callback and lights and giving it the first uploader's study.
/// Rule now: a study per upload request; only a repeat of the same request by the same key (same
/// file, same settings) answers with the study it made.
/// </summary>
public sealed class Point03_EachUploadHonouredTests : IDisposable
{
    private readonly CallbackReceiver first = new();
    private readonly CallbackReceiver second = new();
    private readonly ApiFactory factory = new(overrides: new Dictionary<string, string> { ["Callbacks:AllowedHosts:0"] = "127.0.0.1" });

    public void Dispose()
    {
        factory.Dispose();
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task SameFile_TwoIntegrationKeys_TwoStudies_EachWithItsOwnSettingsCallbackAndAccess()
    {
        using HttpClient one = await factory.ClientAsync(Roles.Integration);
        using HttpClient two = await factory.ClientAsync(Roles.Integration);
        byte[] edf = TestStudies.Eeg(3, seed: 31);

        HttpResponseMessage a = await one.UploadAsync(edf, "?lights_off=0&callback_url=" + Uri.EscapeDataString(first.Url));
        HttpResponseMessage b = await two.UploadAsync(edf, "?lights_off=30&callback_url=" + Uri.EscapeDataString(second.Url));
        string idA = a.Headers.Location!.OriginalString.Split('/')[^1], idB = b.Headers.Location!.OriginalString.Split('/')[^1];

        Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode); // not 200 with the first study
        Assert.NotEqual(idA, idB);
        Assert.Equal(30, (await two.WaitForAsync(idB)).GetProperty("lights_off_seconds").GetDouble());
        await one.WaitForAsync(idA);
        Assert.Equal(HttpStatusCode.NotFound, (await two.GetAsync($"/api/v1/studies/{idA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await one.GetAsync($"/api/v1/studies/{idB}/corrections")).StatusCode);
        await WaitForAsync(() => !first.Received.IsEmpty && !second.Received.IsEmpty);
        Assert.Equal(idA, JsonDocument.Parse(first.Received.Single().Body).RootElement.GetProperty("study_id").GetString());
        Assert.Equal(idB, JsonDocument.Parse(second.Received.Single().Body).RootElement.GetProperty("study_id").GetString());
    }

    [Fact]
    public async Task SameKey_SameFile_SameSettings_IsOneStudy_OtherSettings_IsANewStudy()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Eeg(2, seed: 32);

        HttpResponseMessage original = await client.UploadAsync(edf, "?lights_off=0");
        HttpResponseMessage repeat = await client.UploadAsync(edf, "?lights_off=0");
        HttpResponseMessage other = await client.UploadAsync(edf, "?lights_off=30");

        Assert.Equal(HttpStatusCode.Accepted, original.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(original.Headers.Location, repeat.Headers.Location);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.NotEqual(original.Headers.Location, other.Headers.Location);
        Assert.Equal(30, (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lights_off_seconds").GetDouble());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "condition not met within 30 s");
    }
}
