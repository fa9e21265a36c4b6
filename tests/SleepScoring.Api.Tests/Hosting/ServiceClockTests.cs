using System.Net.Http.Json;
using System.Text.Json;

using Microsoft.Extensions.DependencyInjection;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hosting;

/// <summary>The service reads the time from its registered <see cref="TimeProvider"/> only: every time it records follows a replaced one.</summary>
public sealed class ServiceClockTests
{
    [Fact]
    public async Task UploadScoringCorrectionAndSignOff_AreStampedWithTheServiceClock()
    {
        var at = new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using var factory = new ApiFactory(services: s => s.AddSingleton<TimeProvider>(new ManualClock(at)));
        using HttpClient clinician = await factory.ClientAsync(Roles.Clinician);
        using HttpClient technician = await factory.ClientAsync(Roles.Technician);

        string id = await technician.ScoreAsync(TestStudies.Eeg(2, seed: 170));
        (await clinician.PutAsJsonAsync($"/api/v1/studies/{id}/epochs/1/stage", new { stage = "N3" })).EnsureSuccessStatusCode();
        (await clinician.PostAsJsonAsync($"/api/v1/studies/{id}/sign-off", new { statement = "ok" })).EnsureSuccessStatusCode();
        JsonElement study = await technician.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}");
        JsonElement audit = await technician.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}/audit");

        Assert.Equal(at, study.GetProperty("uploaded_at").GetDateTimeOffset());
        Assert.Equal(at, study.GetProperty("scored_at").GetDateTimeOffset());
        Assert.Equal([at, at], audit.EnumerateArray().Select(e => e.GetProperty("at").GetDateTimeOffset()));
    }
}
