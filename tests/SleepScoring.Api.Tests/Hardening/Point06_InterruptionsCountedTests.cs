using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 6: a job whose process was killed while scoring was retried forever (its attempt
/// was given back at recovery). Interruptions are counted durably; after
/// <c>Scoring:MaxInterruptions</c> of them the study fails with a clear reason, so a file that takes
/// the process down cannot do so in a loop. (Killed once with the limit at 2, it completes:
/// <see cref="EndToEnd.ServiceProcessTests"/>.)
/// </summary>
public sealed class Point06_InterruptionsCountedTests : IDisposable
{
    private readonly ContractModel model = new();
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-interrupted-").FullName;

    public void Dispose()
    {
        model.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task KilledWhileScoring_AsOftenAsAllowed_FailsTheStudyWithTheReason()
    {
        var settings = new Dictionary<string, string> { ["Scoring__MaxInterruptions"] = "1" };
        string id;
        using (ServiceProcess first = await ServiceProcess.StartAsync(directory, model.Directory, settings))
        {
            using HttpClient client = first.Client();
            id = await client.UploadStudyAsync(TestStudies.Eeg(1440, seed: 60), "?deidentify=false"); // 12 h: long enough to be caught mid-scoring
            await EndToEnd.ServiceProcessTests.WaitUntilScoringAsync(client, id);
            first.Kill();
        }

        using ServiceProcess second = await ServiceProcess.StartAsync(directory, model.Directory, settings);
        using HttpClient again = second.Client();
        JsonElement study = await again.WaitForAsync(id, "failed");

        Assert.Equal("interrupted", study.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("stopped while scoring this study 1 time", study.GetProperty("error").GetProperty("detail").GetString(), StringComparison.Ordinal);
        string data = Path.Combine(directory, "data");
        Assert.Equal(1, await StoreQueries.CountAsync(data, $"SELECT interruptions FROM jobs WHERE study_id = '{id}'"));
        Assert.Equal("failed", await StoreQueries.ScalarAsync<string>(data, $"SELECT status FROM jobs WHERE study_id = '{id}'"));
        Assert.Equal(1, (await again.GetFromJsonAsync<JsonElement>("/api/v1/studies")).GetProperty("total").GetInt32());
    }
}
