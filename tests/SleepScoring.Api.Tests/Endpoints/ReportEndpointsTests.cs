using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

using UglyToad.PdfPig;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>The PDF report, read back with PdfPig: two pages at most, the statistics as text, the review state.</summary>
public sealed class ReportEndpointsTests : IAsyncLifetime
{
    private readonly ApiFactory factory = new();
    private HttpClient clinician = null!;
    private string study = string.Empty;

    public async Task InitializeAsync()
    {
        clinician = await factory.ClientAsync(Roles.Clinician);
        using HttpClient technician = await factory.ClientAsync(Roles.Technician);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestStudies.Eeg(60)), "file", "study.edf" },
            { new StringContent("ORD-2024/0815"), "label" },
            { new StringContent("0"), "lights_off" },
        };
        HttpResponseMessage upload = await technician.PostAsync("/api/v1/studies", form);
        string id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await technician.WaitForAsync(id);
        study = $"/api/v1/studies/{id}";
    }

    public Task DisposeAsync()
    {
        clinician.Dispose();
        factory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Report_HoldsTheStatisticsAsText_OnAtMostTwoPages_MarkedPreliminary()
    {
        HttpResponseMessage response = await clinician.GetAsync(study + "/report.pdf");
        JsonElement statistics = await clinician.GetFromJsonAsync<JsonElement>(study + "/statistics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ORD-2024_0815-report.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        string text = Text(await response.Content.ReadAsByteArrayAsync(), out int pages);
        Assert.InRange(pages, 1, 2);
        Assert.Contains("ORD-2024/0815", text, StringComparison.Ordinal);
        Assert.Contains("PRELIMINARY", text, StringComparison.Ordinal);
        Assert.Contains($"Total sleep time (TST){Minutes(statistics, "total_sleep_time_minutes")}", text, StringComparison.Ordinal);
        Assert.Contains($"Time in bed (TIB){Minutes(statistics, "time_in_bed_minutes")}", text, StringComparison.Ordinal);
        Assert.Contains($"Wake after sleep onset (WASO){Minutes(statistics, "wake_after_sleep_onset_minutes")}", text, StringComparison.Ordinal);
        Assert.Contains("Limits of the model", text, StringComparison.Ordinal);
        Assert.Contains("contract 0.0.0-test", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_AfterSignOff_NamesTheSignerAndTheCorrections()
    {
        (await clinician.PutAsJsonAsync($"{study}/epochs/5/stage", new { stage = "N1" })).EnsureSuccessStatusCode();
        (await clinician.PostAsJsonAsync(study + "/sign-off", new { })).EnsureSuccessStatusCode();

        string text = Text(await clinician.GetByteArrayAsync(study + "/report.pdf"), out _);

        Assert.DoesNotContain("PRELIMINARY", text, StringComparison.Ordinal);
        Assert.Contains("Signed offby test clinician (clinician", text, StringComparison.Ordinal);
        Assert.Contains("Epochs with a scorer's stage1 of 60", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_OfAStudyNotScored_Is404ForAnUnknownId()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await clinician.GetAsync("/api/v1/studies/st_nope/report.pdf")).StatusCode);
    }

    private static string Minutes(JsonElement statistics, string name) =>
        statistics.GetProperty(name).GetDouble().ToString("0.0", CultureInfo.InvariantCulture) + " min";

    /// <summary>The words of every page joined without separators (PdfPig's page text), pages one after the other.</summary>
    private static string Text(byte[] pdf, out int pages)
    {
        using PdfDocument document = PdfDocument.Open(pdf);
        pages = document.NumberOfPages;
        return string.Concat(document.GetPages().Select(p => p.Text));
    }
}
