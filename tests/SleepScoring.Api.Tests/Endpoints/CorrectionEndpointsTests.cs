using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Dapper;

using Microsoft.Data.Sqlite;

using SleepScoring.Analysis.Staging;
using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>Stage corrections: audit rows, recomputed statistics, exports with the scorer's stage, all-or-nothing batches.</summary>
public sealed class CorrectionEndpointsTests : IAsyncLifetime
{
    private static readonly string[] Classes = ["W", "N1", "N2", "N3", "R"];

    private readonly ApiFactory factory = new();
    private HttpClient clinician = null!;
    private string clinicianKeyId = string.Empty;
    private string study = string.Empty;

    public async Task InitializeAsync()
    {
        IssuedKeyBody key = await factory.IssueAsync(Roles.Clinician);
        clinicianKeyId = key.Id;
        clinician = factory.WithKey(key.Key);
        using HttpClient technician = await factory.ClientAsync(Roles.Technician);
        study = $"/api/v1/studies/{await technician.ScoreAsync(TestStudies.Eeg(12), "?lights_off=0")}";
    }

    public Task DisposeAsync()
    {
        clinician.Dispose();
        factory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Correction_IsAuditedAndMovesHalfAMinuteBetweenStages()
    {
        (int epoch, string model) = await ScoredEpochAsync();
        string corrected = Classes.First(c => c != model);
        JsonElement before = await clinician.GetFromJsonAsync<JsonElement>(study + "/statistics");

        HttpResponseMessage response = await clinician.PutAsJsonAsync($"{study}/epochs/{epoch}/stage", new { stage = corrected, reason = "spindles visible" });
        JsonElement after = await clinician.GetFromJsonAsync<JsonElement>(study + "/statistics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // One 30-s epoch is 0.5 min: it leaves the model's stage and joins the scorer's.
        Assert.Equal(Minutes(before, model) - 0.5, Minutes(after, model), 6);
        Assert.Equal(Minutes(before, corrected) + 0.5, Minutes(after, corrected), 6);
        JsonElement audit = (await clinician.GetFromJsonAsync<JsonElement>(study + "/corrections"))[0];
        Assert.Equal(epoch, audit.GetProperty("epoch").GetInt32());
        Assert.Equal(model, audit.GetProperty("old_stage").GetString());
        Assert.Equal(corrected, audit.GetProperty("new_stage").GetString());
        Assert.Equal("spindles visible", audit.GetProperty("reason").GetString());
        Assert.Equal(clinicianKeyId, audit.GetProperty("corrected_by").GetString());
        Assert.True(DateTime.UtcNow - audit.GetProperty("corrected_at").GetDateTime().ToUniversalTime() < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Correction_ShowsSideBySideAndExportsUseTheScorersStage()
    {
        (int epoch, string model) = await ScoredEpochAsync();
        string corrected = Classes.First(c => c != model);
        byte[] plotBefore = await clinician.GetByteArrayAsync(study + "/hypnogram.png");

        await clinician.PutAsJsonAsync($"{study}/epochs/{epoch}/stage", new { stage = corrected });

        JsonElement stages = await clinician.GetFromJsonAsync<JsonElement>(study + "/hypnogram?format=stages");
        JsonElement row = stages.GetProperty("epochs")[epoch];
        Assert.Equal(model, row.GetProperty("model_stage").GetString());
        Assert.Equal(corrected, row.GetProperty("scorer_stage").GetString());
        Assert.Equal(corrected, row.GetProperty("stage").GetString());
        Assert.Equal(1, stages.GetProperty("corrected_epochs").GetInt32());
        Hypnogram csv = HypnogramCsv.Read(new StringReader(await clinician.GetStringAsync(study + "/hypnogram?format=csv"))).Hypnogram;
        Assert.Equal(corrected, StageLabel.ToShort(csv[epoch]));
        Hypnogram edf = HypnogramEdf.Read(new MemoryStream(await clinician.GetByteArrayAsync(study + "/hypnogram?format=edf"))).Hypnogram;
        Assert.Equal(corrected, StageLabel.ToShort(edf[epoch]));
        JsonElement scored = await clinician.GetFromJsonAsync<JsonElement>(study + "/hypnogram");
        Assert.Equal(model, scored.GetProperty("epochs")[epoch].GetProperty("stage").GetString()); // the model's result stays as scored
        Assert.NotEqual(plotBefore, await clinician.GetByteArrayAsync(study + "/hypnogram.png")); // the scorer panel appears
    }

    [Fact]
    public async Task SecondCorrection_RecordsThePreviousCorrectionAsOldStage()
    {
        (int epoch, _) = await ScoredEpochAsync();

        await clinician.PutAsJsonAsync($"{study}/epochs/{epoch}/stage", new { stage = "artefact" });
        await clinician.PutAsJsonAsync($"{study}/epochs/{epoch}/stage", new { stage = "R" });

        JsonElement audit = await clinician.GetFromJsonAsync<JsonElement>(study + "/corrections");
        Assert.Equal(2, audit.GetArrayLength());
        Assert.Equal("artefact", audit[1].GetProperty("old_stage").GetString());
        Assert.Equal("R", audit[1].GetProperty("new_stage").GetString());
    }

    [Fact]
    public async Task Batch_AppliesAllCorrections()
    {
        HttpResponseMessage response = await clinician.PutAsJsonAsync(study + "/stages", new { corrections = new[] { new { epoch = 2, stage = "N3" }, new { epoch = 3, stage = "N3" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement stages = await clinician.GetFromJsonAsync<JsonElement>(study + "/hypnogram?format=stages");
        Assert.Equal("N3", stages.GetProperty("epochs")[2].GetProperty("scorer_stage").GetString());
        Assert.Equal("N3", stages.GetProperty("epochs")[3].GetProperty("scorer_stage").GetString());
    }

    [Theory]
    [InlineData(1, "N5", HttpStatusCode.BadRequest)]
    [InlineData(12, "W", HttpStatusCode.NotFound)] // the study has epochs 0–11
    [InlineData(-1, "W", HttpStatusCode.BadRequest)]
    public async Task Batch_WithOneBadItem_AppliesNothing(int badEpoch, string badStage, HttpStatusCode expected)
    {
        HttpResponseMessage response = await clinician.PutAsJsonAsync(study + "/stages", new { corrections = new[] { new { epoch = 0, stage = "N2" }, new { epoch = badEpoch, stage = badStage } } });

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await clinician.GetFromJsonAsync<JsonElement>(study + "/corrections")).GetArrayLength());
    }

    [Fact]
    public async Task Audit_IsAppendOnlyInTheDatabase()
    {
        await clinician.PutAsJsonAsync($"{study}/epochs/1/stage", new { stage = "W" });
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "sleepscoring.db")};Pooling=False");

        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("UPDATE stage_corrections SET new_stage = 'N1'"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("DELETE FROM stage_corrections"));
    }

    private async Task<(int Epoch, string Stage)> ScoredEpochAsync()
    {
        JsonElement scored = await clinician.GetFromJsonAsync<JsonElement>(study + "/hypnogram");
        JsonElement epoch = scored.GetProperty("epochs").EnumerateArray().First(e => Classes.Contains(e.GetProperty("stage").GetString()));
        return (epoch.GetProperty("index").GetInt32(), epoch.GetProperty("stage").GetString()!);
    }

    private static double Minutes(JsonElement statistics, string stage) => statistics.GetProperty("stage_minutes").GetProperty(stage).GetDouble();
}
