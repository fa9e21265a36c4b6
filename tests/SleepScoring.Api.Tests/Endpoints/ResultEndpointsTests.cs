using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using NJsonSchema;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Api.Tests.Support;
using SleepScoring.Tests.Common;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>The read endpoints of a scored study: every format, against independent readers and the schema.</summary>
public sealed class ResultEndpointsTests(ScoredSampleFixture sample) : IClassFixture<ScoredSampleFixture>
{
    // The sample holds 255 records of 30 s (sample-data/README.md): 255 epochs.
    private const int SampleEpochs = 255;

    private HttpClient Client => sample.Technician;

    private string Study => $"/api/v1/studies/{sample.StudyId}";

    [Fact]
    public async Task Study_WhenScored_ReportsModelEpochsAndFullProgress()
    {
        JsonElement study = await Client.GetFromJsonAsync<JsonElement>(Study);

        Assert.Equal("scored", study.GetProperty("status").GetString());
        Assert.Equal(100, study.GetProperty("progress").GetProperty("percent").GetDouble());
        Assert.Equal("contract", study.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("0.0.0-test", study.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal(SampleEpochs, study.GetProperty("epochs").GetInt32());
        Assert.Equal(7650, study.GetProperty("duration_seconds").GetDouble()); // 255 × 30 s
    }

    [Fact]
    public async Task Hypnogram_Json_ValidatesAgainstTheScoredStudySchema()
    {
        HttpResponseMessage response = await Client.GetAsync(Study + "/hypnogram");
        string json = await response.Content.ReadAsStringAsync();

        JsonSchema schema = await JsonSchema.FromFileAsync(Path.Combine(SharedData.RepositoryRoot, "schemas", "scored-study.schema.json"));
        Assert.Empty(schema.Validate(json));
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal(SampleEpochs, document.RootElement.GetProperty("epochs").GetArrayLength());
    }

    [Fact]
    public async Task Hypnogram_Csv_HasOneRowPerEpochAndReadsBackWithTheAnalysisReader()
    {
        string csv = await Client.GetStringAsync(Study + "/hypnogram?format=csv");

        Hypnogram read = HypnogramCsv.Read(new StringReader(csv)).Hypnogram;
        Assert.Equal(SampleEpochs, read.Count);
        Assert.Equal(await ModelStagesAsync(), read.Stages);
    }

    [Fact]
    public async Task Hypnogram_EdfAnnotations_ByAcceptHeader_ReadBackAsTheSameStages()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Study + "/hypnogram");
        request.Headers.Accept.ParseAdd("application/edf");
        HttpResponseMessage response = await Client.SendAsync(request);
        Assert.Equal("application/edf", response.Content.Headers.ContentType?.MediaType);

        Hypnogram read = HypnogramEdf.Read(new MemoryStream(await response.Content.ReadAsByteArrayAsync())).Hypnogram;
        SleepStage[] expected = await ModelStagesAsync();
        Assert.Equal(expected.Length, read.Count);
        Assert.Equal(expected, read.Stages);
    }

    [Fact]
    public async Task Hypnogram_UnknownFormat_IsAValidationProblem()
    {
        HttpResponseMessage response = await Client.GetAsync(Study + "/hypnogram?format=xml");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("format", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statistics_EqualTheStatisticsInTheScoredStudy_BeforeAnyCorrection()
    {
        JsonElement statistics = await Client.GetFromJsonAsync<JsonElement>(Study + "/statistics");
        JsonElement scored = await Client.GetFromJsonAsync<JsonElement>(Study + "/hypnogram");

        Assert.Equal(scored.GetProperty("statistics").GetRawText(), statistics.GetRawText());
    }

    [Fact]
    public async Task Epoch_HasProbabilitiesConfidenceSaliencyAndNeighbours()
    {
        JsonElement epoch = await Client.GetFromJsonAsync<JsonElement>(Study + "/epochs/10");

        Assert.Equal(10, epoch.GetProperty("index").GetInt32());
        Assert.Equal(300, epoch.GetProperty("onset_seconds").GetDouble()); // 10 × 30 s
        double sum = epoch.GetProperty("probabilities").EnumerateObject().Sum(p => p.Value.GetDouble());
        Assert.InRange(sum, 0.999 - 0.0005, 1.0005); // five probabilities rounded to 4 decimals
        double top = epoch.GetProperty("probabilities").EnumerateObject().Max(p => p.Value.GetDouble());
        Assert.Equal(top, epoch.GetProperty("confidence").GetDouble(), 4);
        Assert.Equal(2, epoch.GetProperty("saliency").GetProperty("grid").GetArrayLength()); // the contract model reads 2 derivations
        Assert.Equal(ContractModel.Segments, epoch.GetProperty("saliency").GetProperty("grid")[0].GetArrayLength());
        Assert.Equal(ContractModel.Window, epoch.GetProperty("saliency").GetProperty("neighbours").GetArrayLength());
        Assert.Equal(epoch.GetProperty("model_stage").GetString(), epoch.GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.Null, epoch.GetProperty("scorer_stage").ValueKind);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(SampleEpochs)]
    public async Task Epoch_OutsideTheStudy_IsNotFound(int epoch)
    {
        HttpResponseMessage response = await Client.GetAsync($"{Study}/epochs/{epoch}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/epochs/3/image.png")]
    [InlineData("/epochs/3/image.png?saliency=false")]
    [InlineData("/hypnogram.png")]
    public async Task Images_ArePngs(string path)
    {
        HttpResponseMessage response = await Client.GetAsync(Study + path);
        byte[] png = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]); // PNG signature (RFC 2083)
    }

    [Fact]
    public async Task EpochImage_WithSaliency_DiffersFromWithout()
    {
        byte[] with = await Client.GetByteArrayAsync(Study + "/epochs/3/image.png");
        byte[] without = await Client.GetByteArrayAsync(Study + "/epochs/3/image.png?saliency=false");

        Assert.NotEqual(with, without);
    }

    [Fact]
    public async Task Model_ServesTheModelCard()
    {
        JsonElement card = await Client.GetFromJsonAsync<JsonElement>("/api/v1/model");

        Assert.Equal("contract", card.GetProperty("name").GetString());
    }

    private async Task<SleepStage[]> ModelStagesAsync()
    {
        JsonElement scored = await Client.GetFromJsonAsync<JsonElement>(Study + "/hypnogram");
        return [.. scored.GetProperty("epochs").EnumerateArray().Select(e => SleepScoring.Api.Scored.StageNames.Parse(e.GetProperty("stage").GetString()!))];
    }
}
