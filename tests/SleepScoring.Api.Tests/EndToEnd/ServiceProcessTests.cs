using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Tests.Support;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Tests.EndToEnd;

/// <summary>The real service process over HTTP on 127.0.0.1: the sample study end to end, and a kill during scoring.</summary>
public sealed class ServiceProcessTests : IDisposable
{
    private readonly ContractModel model = new();
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-process-").FullName;

    public void Dispose()
    {
        model.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task SampleStudy_UploadPollAndEveryOutput()
    {
        using ServiceProcess service = await ServiceProcess.StartAsync(directory, model.Directory);
        using HttpClient client = service.Client();
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(TestStudies.Sample));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "SC4001E0-PSG.edf");
        form.Add(new StringContent("0"), "lights_off");

        HttpResponseMessage upload = await client.PostAsync("/api/v1/studies", form);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        string location = upload.Headers.Location!.OriginalString;
        string id = location.Split('/')[^1];
        await client.WaitForAsync(id);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);
        JsonElement scored = await client.GetFromJsonAsync<JsonElement>(location + "/hypnogram");
        Assert.Equal(255, scored.GetProperty("epochs").GetArrayLength()); // 255 records of 30 s (sample-data/README.md)
        string csv = await client.GetStringAsync(location + "/hypnogram?format=csv");
        Assert.Equal(256, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header + one row per epoch
        byte[] edf = await client.GetByteArrayAsync(location + "/hypnogram?format=edf");
        Assert.Equal(255, SleepScoring.Analysis.Staging.HypnogramEdf.Read(new MemoryStream(edf)).Hypnogram.Count);
        Assert.True((await client.GetFromJsonAsync<JsonElement>(location + "/statistics")).GetProperty("time_in_bed_minutes").GetDouble() > 0);
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>(location + "/epochs/0")).GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.Array, (await client.GetFromJsonAsync<JsonElement>(location + "/review")).GetProperty("queue").ValueKind);
        foreach (string png in new[] { "/epochs/0/image.png", "/hypnogram.png" })
        {
            HttpResponseMessage image = await client.GetAsync(location + png);
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal("contract", (await client.GetFromJsonAsync<JsonElement>("/api/v1/model")).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scalar/v1")).StatusCode);
    }

    [Fact]
    public async Task UploadLargerThanKestrelsDefaultBodyLimit_IsStreamedAndAccepted()
    {
        byte[] edf = TestStudies.Eeg(3100, seed: 61); // 3100 × 2 × 3000 × 2 bytes ≈ 37 MB > Kestrel's default 30 MB request limit
        using ServiceProcess service = await ServiceProcess.StartAsync(directory, model.Directory);
        using HttpClient client = service.Client();

        HttpResponseMessage response = await client.UploadAsync(edf, "?deidentify=false");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string id = response.Headers.Location!.OriginalString.Split('/')[^1];
        Assert.Equal(edf.Length, new FileInfo(Path.Combine(directory, "data", "studies", id, "study.edf")).Length);
    }

    [Fact]
    public async Task KilledWhileScoring_RestartsAndCompletesWithTheSameResult_NoDuplicateRows()
    {
        const int Epochs = 1440; // 12 h: long enough to be caught mid-scoring
        byte[] edf = TestStudies.Eeg(Epochs, seed: 60);
        string id;
        string seenBeforeKill;
        using (ServiceProcess first = await ServiceProcess.StartAsync(directory, model.Directory))
        {
            using HttpClient client = first.Client();
            id = await client.UploadStudyAsync(edf, "?deidentify=false");
            seenBeforeKill = await WaitUntilScoringAsync(client, id);
            first.Kill();
        }

        string data = Path.Combine(directory, "data");
        Assert.Equal("scoring", await StoreQueries.ScalarAsync<string>(data, $"SELECT status FROM studies WHERE id = '{id}'"));
        Assert.Equal(0, await StoreQueries.CountAsync(data, $"SELECT COUNT(*) FROM epochs WHERE study_id = '{id}'"));

        using (ServiceProcess second = await ServiceProcess.StartAsync(directory, model.Directory))
        {
            using HttpClient client = second.Client();
            await client.WaitForAsync(id);
            string served = await client.GetStringAsync($"/api/v1/studies/{id}/hypnogram");
            Assert.Equal(Reference(edf), served);
        }

        Assert.Contains("scoring", seenBeforeKill, StringComparison.Ordinal);
        Assert.Equal(1, await StoreQueries.CountAsync(data, "SELECT COUNT(*) FROM studies"));
        Assert.Equal(1, await StoreQueries.CountAsync(data, "SELECT COUNT(*) FROM jobs"));
        Assert.Equal(Epochs, await StoreQueries.CountAsync(data, $"SELECT COUNT(*) FROM epochs WHERE study_id = '{id}'"));
        Assert.Equal(Epochs, await StoreQueries.CountAsync(data, $"SELECT COUNT(DISTINCT epoch) FROM epochs WHERE study_id = '{id}'"));
        Assert.Equal("recovered after a restart", await StoreQueries.ScalarAsync<string>(data, "SELECT last_error FROM jobs"));
        Assert.Equal(1, await StoreQueries.CountAsync(data, "SELECT attempts FROM jobs")); // the kill is no failed attempt of the study…
        Assert.Equal(1, await StoreQueries.CountAsync(data, "SELECT interruptions FROM jobs")); // …but it is counted (Scoring:MaxInterruptions)
    }

    [Fact]
    public async Task SigtermWhileScoring_HandsTheJobBack_TheRestartScoresIt_NoAttemptOrInterruptionCounted()
    {
        byte[] edf = TestStudies.Eeg(1440, seed: 61);
        string id;
        int? exit;
        using (ServiceProcess first = await ServiceProcess.StartAsync(directory, model.Directory))
        {
            using HttpClient client = first.Client();
            id = await client.UploadStudyAsync(edf, "?deidentify=false");
            await WaitUntilScoringAsync(client, id);
            exit = await first.TerminateAsync(); // as systemd or docker stop do
        }

        string data = Path.Combine(directory, "data");
        Assert.Equal(0, exit);
        Assert.Equal(("queued", 0L, 0L), await StoreQueries.RowAsync<(string, long, long)>(data, $"SELECT status, attempts, interruptions FROM jobs WHERE study_id = '{id}'"));
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "studies", id), "*.pending*")); // the cut run leaves no file of its own

        using (ServiceProcess second = await ServiceProcess.StartAsync(directory, model.Directory))
        {
            using HttpClient client = second.Client();
            await client.WaitForAsync(id);
        }

        Assert.Equal(("done", 1L, 0L), await StoreQueries.RowAsync<(string, long, long)>(data, $"SELECT status, attempts, interruptions FROM jobs WHERE study_id = '{id}'"));
    }

    /// <summary>Polls until the study is being scored and some progress is recorded; returns what was seen.</summary>
    internal static async Task<string> WaitUntilScoringAsync(HttpClient client, string id)
    {
        for (int i = 0; i < 3000; i++)
        {
            JsonElement study = await client.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}");
            if (study.GetProperty("status").GetString() == "scoring" && study.GetProperty("progress").GetProperty("percent").GetDouble() > 0)
            {
                return study.ToString();
            }

            Assert.NotEqual("scored", study.GetProperty("status").GetString());
            await Task.Delay(10);
        }

        throw new TimeoutException("the study never started scoring");
    }

    /// <summary>The same study scored in this process, straight through the Inference library: the result JSON the service must serve.</summary>
    private string Reference(byte[] edf)
    {
        using StagingModel staging = StagingModel.Load(model.Directory);
        using EdfReader reader = EdfReader.Open(new MemoryStream(edf));
        ScoredStudy scored = new StudyScorer(staging).Score(reader, new ScoringRequest());
        using var json = new MemoryStream();
        ScoredStudyJson.Write(scored, json);
        return System.Text.Encoding.UTF8.GetString(json.ToArray());
    }
}
