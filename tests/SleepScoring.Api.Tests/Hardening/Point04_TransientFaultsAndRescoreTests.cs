using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 4: a short storage fault while scoring failed the study for good, re-uploading
/// the same bytes answered 200 "failed", and nothing could rescore it. Transient faults are retried
/// with capped backoff over minutes (by default 8 attempts, 5 s doubling to at most 5 min: here
/// scaled down to 100 ms); a failed study can be queued again; errors carry no server paths.
/// </summary>
public sealed class Point04_TransientFaultsAndRescoreTests
{
    [Fact]
    public async Task StudyFolderGoneForAWhileDuringScoring_IsRiddenOut_WithTheDefaultAttempts()
    {
        // Run 1 takes the study's folder away (the fault starts mid-scoring); it comes back 3 s later.
        string? dataDirectory = null;
        using var factory = new ApiFactory(
            overrides: new Dictionary<string, string> { ["Scoring:RetryDelay"] = "00:00:00.100" },
            services: ScriptedEngineFactory.Install((run, progress) =>
            {
                if (run == 1)
                {
                    string folder = Directory.GetDirectories(Path.Combine(dataDirectory!, "studies")).Single();
                    Directory.Move(folder, folder + ".away");
                    Task restore = Task.Run(async () =>
                    {
                        await Task.Delay(3000);
                        Directory.Move(folder + ".away", folder);
                    });
                }
            }));
        dataDirectory = factory.DataDirectory;
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(TestStudies.Eeg(3, seed: 41));
        string? sawWaiting = null;
        for (int i = 0; i < 200 && sawWaiting is null; i++)
        {
            JsonElement s = await client.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}");
            sawWaiting = s.GetProperty("progress").GetProperty("stage").GetString() == "waiting to retry" ? s.ToString() : null;
            await Task.Delay(20);
        }

        await client.WaitForAsync(id);
        string lastError = await StoreQueries.ScalarAsync<string>(factory.DataDirectory, $"SELECT last_error FROM jobs WHERE study_id = '{id}'") ?? string.Empty;

        Assert.NotNull(sawWaiting);
        Assert.True(await StoreQueries.CountAsync(factory, $"SELECT attempts FROM jobs WHERE study_id = '{id}'") >= 3);
        Assert.Contains("storage error", lastError, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.DataDirectory, lastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedStudy_IsQueuedAgain_ByRescoreOrByTheSameUpload_AndItsErrorHasNoPath()
    {
        using var factory = new ApiFactory(
            overrides: new Dictionary<string, string> { ["Scoring:MaxAttempts"] = "2" },
            services: ScriptedEngineFactory.Install((run, _) =>
            {
                if (run <= 4)
                {
                    throw new FileNotFoundException($"Could not find file '/srv/sleepscoring/data/studies/x/study.edf'.", "/srv/sleepscoring/data/studies/x/study.edf");
                }
            }));
        using HttpClient technician = await factory.ClientAsync(Roles.Technician);
        using HttpClient clinician = await factory.ClientAsync(Roles.Clinician);
        byte[] edf = TestStudies.Eeg(2, seed: 42);
        string id = await technician.UploadStudyAsync(edf);

        JsonElement failed = await technician.WaitForAsync(id, "failed");
        Assert.DoesNotContain("/srv", failed.GetProperty("error").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.PostAsync($"/api/v1/studies/{id}/rescore", null)).StatusCode);

        HttpResponseMessage rescore = await technician.PostAsync($"/api/v1/studies/{id}/rescore", null);
        Assert.Equal(HttpStatusCode.Accepted, rescore.StatusCode);
        await technician.WaitForAsync(id, "failed"); // runs 3 and 4 fail again
        HttpResponseMessage reupload = await technician.UploadAsync(edf);
        Assert.Equal(HttpStatusCode.Accepted, reupload.StatusCode); // queued again, not 200 "failed"
        Assert.Equal($"/api/v1/studies/{id}", reupload.Headers.Location?.OriginalString);
        await technician.WaitForAsync(id); // run 5 scores

        Assert.Equal(HttpStatusCode.Conflict, (await technician.PostAsync($"/api/v1/studies/{id}/rescore", null)).StatusCode); // a scored study is not rescored
        Assert.Equal(1, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
    }
}
