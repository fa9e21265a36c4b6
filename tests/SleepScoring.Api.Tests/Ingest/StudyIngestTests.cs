using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;
using SleepScoring.Edf;

namespace SleepScoring.Api.Tests.Ingest;

/// <summary>De-identification of the stored header, and no patient field in any log line.</summary>
public sealed class StudyIngestTests : IDisposable
{
    // EdfPatient writes spaces as underscores (EDF+ sub-field rule): the header holds "Jane_Doe".
    private const string PatientName = "Jane Doe", PatientCode = "MRN-4711";

    private readonly ApiFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Deidentify_RewritesPatientAndRecordingFields_KeepsTheStartAndScores()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] upload = TestStudies.Eeg(3, seed: 30, patientName: PatientName);

        string id = await client.ScoreAsync(upload, "?deidentify=true");

        byte[] stored = File.ReadAllBytes(Path.Combine(factory.DataDirectory, "studies", id, "study.edf"));
        // EDF header: bytes 8–87 patient, 88–167 recording identification (EDF spec, fixed-width ASCII).
        Assert.Equal("X X X X".PadRight(80), Encoding.ASCII.GetString(stored, 8, 80));
        Assert.Equal("Startdate 01-MAR-2024 X X X".PadRight(80), Encoding.ASCII.GetString(stored, 88, 80));
        Assert.Equal(upload[168..], stored[168..]); // everything after the two fields is untouched
        using EdfReader reader = EdfReader.Open(new MemoryStream(stored));
        Assert.Equal(new DateTime(2024, 3, 1, 22, 30, 0), reader.Header.StartTime);
        Assert.Null(reader.Header.Patient?.Name);
    }

    [Fact]
    public async Task WithoutDeidentify_TheStoredFileIsTheUpload()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] upload = TestStudies.Eeg(3, seed: 31, patientName: PatientName);

        string id = await client.UploadStudyAsync(upload, "?deidentify=false");

        Assert.Equal(upload, File.ReadAllBytes(Path.Combine(factory.DataDirectory, "studies", id, "study.edf")));
    }

    [Fact]
    public async Task Logs_NeverContainPatientFields_ThroughIngestScoringReadingAndRejection()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] upload = TestStudies.Eeg(3, seed: 32, patientName: PatientName);
        string id = await client.ScoreAsync(upload, "?deidentify=false");
        await client.GetStringAsync($"/api/v1/studies/{id}/hypnogram");
        await client.GetByteArrayAsync($"/api/v1/studies/{id}/epochs/0/image.png");
        byte[] broken = (byte[])upload.Clone();
        Encoding.ASCII.GetBytes("zz  ").CopyTo(broken, 252); // 'number of signals' (offset 252) is not a number
        HttpResponseMessage rejected = await client.UploadAsync(broken);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);

        string[] lines = [.. factory.Logs.Lines];
        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.Contains(id, StringComparison.Ordinal)); // the study is logged, by id
        foreach (string phi in new[] { "Jane", "Doe", PatientCode, "1970", "06-MAY" })
        {
            Assert.DoesNotContain(lines, l => l.Contains(phi, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Study_ExposesNoPatientFields()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        string id = await client.ScoreAsync(TestStudies.Eeg(3, seed: 33, patientName: PatientName), "?deidentify=false");

        string study = await client.GetStringAsync($"/api/v1/studies/{id}");
        string result = await client.GetStringAsync($"/api/v1/studies/{id}/hypnogram");

        Assert.DoesNotContain("Jane", study, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane", result, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(result).RootElement.GetProperty("recording").TryGetProperty("patient_identification", out _));
    }
}
