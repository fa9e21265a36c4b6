using System.Net;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 11: uploads with broken annotations were accepted (and failed later in the
/// worker), and so were durations far beyond the 72-h cap. The whole file is read before 202, and
/// its labels must give the model's derivations.
/// </summary>
public sealed class Point11_WholeFileCheckedAtUploadTests : IDisposable
{
    private readonly ApiFactory factory = new(withModel: false);

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task BrokenAnnotationInTheLastRecord_Is422_NotAcceptedThenFailed()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Eeg(4, seed: 111, annotations: (100, "Sleep stage 2"));
        int at = TestStudies.IndexOf(edf, "Sleep stage 2\u0014");
        edf[at + 13] = (byte)'x'; // the text loses its closing 0x14 (record 3 of 4)

        HttpResponseMessage response = await client.UploadAsync(edf);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("EDF Annotations", problem.GetProperty("field").GetString());
        Assert.Contains("data record 3", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
    }

    [Fact]
    public async Task RecordingBeyond72Hours_Is422NamingTheDuration()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        // 3 records of 100 000 s (offset 244, 'duration of a data record'): 83 h > 72 h.
        byte[] edf = TestStudies.Patch(TestStudies.Eeg(3, seed: 112), 244, 8, "100000");

        HttpResponseMessage response = await client.UploadAsync(edf);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("number of data records", problem.GetProperty("field").GetString());
        Assert.Equal(0, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
    }

    [Fact]
    public async Task RecordingOfExactly72Hours_IsNotRefusedForItsDuration()
    {
        // 3 records of 24 h pass the duration cap; their EEG (3000 samples a day) is then refused for
        // its rate, by the montage, not the cap. A real 72-h study is accepted and scored in
        // Point05_BoundedMemoryTests.
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Patch(TestStudies.Eeg(3, seed: 113), 244, 8, "86400");

        HttpResponseMessage response = await client.UploadAsync(edf);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("label", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task LabelsThatGiveNoEeg_Are422NamingTheLabels_NotAcceptedThenFailed()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] edf = TestStudies.Patch(TestStudies.Patch(TestStudies.Eeg(2, seed: 113), 256, 16, "Resp chest"), 272, 16, "Resp abdomen");

        HttpResponseMessage response = await client.UploadAsync(edf);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("label", problem.GetProperty("field").GetString());
        Assert.Contains("Resp chest", problem.GetProperty("detail").GetString(), StringComparison.Ordinal); // the labels found, to fix the mapping
        Assert.Equal(0, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
    }
}
