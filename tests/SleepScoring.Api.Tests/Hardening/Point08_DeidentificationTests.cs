using System.Net;
using System.Text;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;
using SleepScoring.Edf;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 8: annotation texts ("Lights off by Nurse_Smith") were kept when de-identifying,
/// a file first uploaded identified stayed identified when uploaded again with deidentify=true, and
/// the text of a bad annotation appeared in error details. Annotation texts are de-identified when
/// asked (stage and lights labels kept), and no error echoes file text.
/// </summary>
public sealed class Point08_DeidentificationTests : IDisposable
{
    private readonly ApiFactory factory = new(withModel: false);

    public void Dispose() => factory.Dispose();

    private static byte[] Annotated(int seed) => TestStudies.Eeg(
        3,
        seed,
        "Jane Doe",
        (5, "Lights off by Nurse_Smith"),
        (31, "Sleep stage W"),
        (40, "Patient Jane Doe asked for water"),
        (70, "Lights on"));

    [Fact]
    public async Task Deidentify_BlanksFreeAnnotationText_KeepsStageAndLightsLabels()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(Annotated(seed: 81), "?deidentify=true");

        byte[] stored = File.ReadAllBytes(Path.Combine(factory.DataDirectory, "studies", id, "study.edf"));
        using EdfReader reader = EdfReader.Open(new MemoryStream(stored));
        Assert.Equal(["Lights off", "Sleep stage W", "Lights on"], reader.ReadAnnotations().Select(a => a.Text));
        foreach (string phi in new[] { "Nurse", "Smith", "Jane", "Doe", "water" })
        {
            Assert.DoesNotContain(phi, Encoding.Latin1.GetString(stored), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task WithoutDeidentify_AnnotationsStayAsUploaded()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] upload = Annotated(seed: 82);

        string id = await client.UploadStudyAsync(upload, "?deidentify=false");

        Assert.Equal(upload, File.ReadAllBytes(Path.Combine(factory.DataDirectory, "studies", id, "study.edf")));
    }

    [Fact]
    public async Task FirstUploadedIdentified_ThenWithDeidentify_TheSecondStudyIsDeidentified()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] upload = Annotated(seed: 84);

        string identified = await client.UploadStudyAsync(upload, "?deidentify=false");
        string deidentified = await client.UploadStudyAsync(upload, "?deidentify=true"); // 202: a new study, not the identified one

        Assert.NotEqual(identified, deidentified);
        byte[] stored = File.ReadAllBytes(Path.Combine(factory.DataDirectory, "studies", deidentified, "study.edf"));
        Assert.DoesNotContain("Jane", System.Text.Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        JsonElement study = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/studies/{deidentified}")).RootElement;
        Assert.True(study.GetProperty("deidentified").GetBoolean());
    }

    [Fact]
    public async Task BadAnnotation_IsRefused_WithoutItsTextInTheProblemOrTheLogs()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        byte[] edf = TestStudies.Eeg(3, seed: 83, annotations: (40, "Call Dr Nurse_Smith at home"));
        int at = TestStudies.IndexOf(edf, "+40\u0014");
        edf[at + 1] = (byte)'?'; // the onset is no longer a number: the TAL is malformed

        HttpResponseMessage response = await client.UploadAsync(edf);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("EDF Annotations", JsonDocument.Parse(body).RootElement.GetProperty("field").GetString());
        Assert.DoesNotContain("Nurse_Smith", body, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("Nurse_Smith", StringComparison.Ordinal));
    }
}
