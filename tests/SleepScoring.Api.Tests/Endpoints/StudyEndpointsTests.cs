using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>Upload (both encodings, deduplication, idempotency, limits, validation), list, read and delete.</summary>
public sealed class StudyEndpointsTests : IDisposable
{
    private readonly ApiFactory factory = new(overrides: new Dictionary<string, string> { ["Storage:MaxUploadBytes"] = "2000000" });

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Upload_OctetStream_Answers202WithLocationAndTheFilesSha256()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Eeg(4);

        HttpResponseMessage response = await client.UploadAsync(edf, "?lights_off=30&lights_on=90&map=EEG%20Fpz-Cz%3DEEG%20Fpz-Cz");
        JsonElement study = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/v1/studies/{study.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(edf)), study.GetProperty("sha256").GetString());
        Assert.Equal(edf.Length, study.GetProperty("size_bytes").GetInt64());
        Assert.Equal(120, study.GetProperty("duration_seconds").GetDouble()); // 4 records × 30 s
        Assert.Equal(30, study.GetProperty("lights_off_seconds").GetDouble());
        Assert.Equal("EEG Fpz-Cz=EEG Fpz-Cz", study.GetProperty("channel_mappings")[0].GetString());
        await client.WaitForAsync(study.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Upload_Multipart_WithFieldsAfterTheFile_IsAccepted()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TestStudies.Eeg(3, seed: 2));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "night.edf");
        form.Add(new StringContent("60"), "lights_on");
        form.Add(new StringContent("false"), "deidentify");

        HttpResponseMessage response = await client.PostAsync("/api/v1/studies", form);
        JsonElement study = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(60, study.GetProperty("lights_on_seconds").GetDouble());
        Assert.False(study.GetProperty("deidentified").GetBoolean());
    }

    [Fact]
    public async Task Upload_Multipart_WithoutAFilePart_IsAProblemAndLeavesNothing()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        using var form = new MultipartFormDataContent { { new StringContent("60"), "lights_on" } };

        HttpResponseMessage response = await client.PostAsync("/api/v1/studies", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'file'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "studies")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "incoming")));
    }

    [Fact]
    public async Task Upload_SameFileTwice_IsOneStudy()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Eeg(2, seed: 3);

        HttpResponseMessage first = await client.UploadAsync(edf);
        HttpResponseMessage second = await client.UploadAsync(edf);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        JsonElement page = await client.GetFromJsonAsync<JsonElement>("/api/v1/studies");
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Single(Directory.GetDirectories(Path.Combine(factory.DataDirectory, "studies")));
    }

    [Fact]
    public async Task Upload_RetriedWithTheSameIdempotencyKey_ReturnsTheFirstResponse()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        byte[] edf = TestStudies.Eeg(2, seed: 4);
        HttpResponseMessage first = await client.UploadAsync(edf, idempotencyKey: "order-17");

        HttpResponseMessage retry = await client.UploadAsync(edf, idempotencyKey: "order-17");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode); // the original response, again
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
    }

    [Fact]
    public async Task Upload_IdempotencyKeysAreScopedToTheCallersKey()
    {
        using HttpClient one = await factory.ClientAsync(Roles.Integration);
        using HttpClient other = await factory.ClientAsync(Roles.Integration);
        await one.UploadAsync(TestStudies.Eeg(2, seed: 5), idempotencyKey: "k");

        HttpResponseMessage response = await other.UploadAsync(TestStudies.Eeg(2, seed: 6), idempotencyKey: "k");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Upload_LargerThanTheLimit_Is413AndLeavesNoFile()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Eeg(200); // 200 × 2 × 3000 × 2 bytes = 2.4 MB > the 2 000 000-byte limit set above

        HttpResponseMessage response = await client.UploadAsync(edf);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "incoming")));
    }

    [Fact]
    public async Task Upload_OtherMediaType_Is415()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        HttpResponseMessage response = await client.PostAsync("/api/v1/studies", new StringContent("hello"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("?lights_off=-5", "lights_off")]
    [InlineData("?lights_off=50&lights_on=40", "lights_on")]
    [InlineData("?map=nonsense", "map")]
    [InlineData("?deidentify=maybe", "deidentify")]
    [InlineData("?callback_url=ftp://x/y", "callback_url")]
    [InlineData("?callback_url=https://hospital.example/hook", "callback_url")] // a technician key has no callback secret
    public async Task Upload_InvalidMetadata_IsAValidationProblemNamingTheField(string query, string field)
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        HttpResponseMessage response = await client.UploadAsync(TestStudies.Eeg(2), query);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Upload_LightsOnBeyondTheRecording_Is422NamingLightsOn()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        HttpResponseMessage response = await client.UploadAsync(TestStudies.Eeg(2, seed: 7), "?lights_on=61"); // the recording lasts 2 × 30 = 60 s
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("lights_on", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Upload_ShorterThanOneEpoch_Is422()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Eeg(1);
        // Rewrite 'duration of a data record' (offset 244, 8 bytes) from 30 to 20: one 20-s record, less than an epoch.
        System.Text.Encoding.ASCII.GetBytes("20      ").CopyTo(edf, 244);

        HttpResponseMessage response = await client.UploadAsync(edf);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task List_FiltersByStatusAndPages()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        for (int seed = 10; seed < 13; seed++)
        {
            await client.ScoreAsync(TestStudies.Eeg(2, seed));
        }

        JsonElement page1 = await client.GetFromJsonAsync<JsonElement>("/api/v1/studies?status=scored&page_size=2");
        JsonElement page2 = await client.GetFromJsonAsync<JsonElement>("/api/v1/studies?status=scored&page_size=2&page=2");
        JsonElement failed = await client.GetFromJsonAsync<JsonElement>("/api/v1/studies?status=failed");
        JsonElement future = await client.GetFromJsonAsync<JsonElement>("/api/v1/studies?uploaded_from=2999-01-01");

        Assert.Equal(3, page1.GetProperty("total").GetInt32());
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.Equal(1, page2.GetProperty("items").GetArrayLength());
        Assert.Equal(0, failed.GetProperty("total").GetInt32());
        Assert.Equal(0, future.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("?status=done")]
    [InlineData("?page=0")]
    [InlineData("?page_size=501")]
    [InlineData("?uploaded_to=yesterday")]
    public async Task List_BadQuery_IsAValidationProblem(string query)
    {
        using HttpClient client = await factory.ClientAsync(Roles.Clinician);

        HttpResponseMessage response = await client.GetAsync("/api/v1/studies" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownStudy_IsNotFoundProblem()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Clinician);

        HttpResponseMessage response = await client.GetAsync("/api/v1/studies/st_nothing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Results_BeforeScoring_AreAConflictProblem()
    {
        using var noModel = new ApiFactory(withModel: false);
        using HttpClient client = noModel.Admin();
        string id = await client.UploadStudyAsync(TestStudies.Eeg(2));

        HttpResponseMessage response = await client.GetAsync($"/api/v1/studies/{id}/hypnogram");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Delete_RemovesTheStudyItsRowsAndItsFiles()
    {
        using HttpClient admin = factory.Admin();
        string id = await admin.ScoreAsync(TestStudies.Eeg(2, seed: 20));
        Assert.True(Directory.Exists(Path.Combine(factory.DataDirectory, "studies", id)));

        HttpResponseMessage deleted = await admin.DeleteAsync($"/api/v1/studies/{id}");
        HttpResponseMessage again = await admin.DeleteAsync($"/api/v1/studies/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "studies", id)));
        Assert.Equal(0, await StoreQueries.CountAsync(factory, $"SELECT COUNT(*) FROM epochs WHERE study_id = '{id}'"));
        Assert.Equal(0, await StoreQueries.CountAsync(factory, $"SELECT COUNT(*) FROM jobs WHERE study_id = '{id}'"));
    }
}
