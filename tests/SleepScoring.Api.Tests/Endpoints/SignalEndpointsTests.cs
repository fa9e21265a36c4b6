using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Tests.Support;
using SleepScoring.Edf;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>The signals window of the sample study, against the samples read directly from the file.</summary>
public sealed class SignalEndpointsTests(ScoredSampleFixture sample) : IClassFixture<ScoredSampleFixture>
{
    private HttpClient Client => sample.Technician;

    private string Signals => $"/api/v1/studies/{sample.StudyId}/signals";

    [Fact]
    public async Task Window_OfAFastChannel_IsTheMinMaxOfItsSamplesPerColumn()
    {
        JsonElement window = await Client.GetFromJsonAsync<JsonElement>(Signals + "?start=60&duration=30&channels=0&width=100");

        // EEG Fpz-Cz at 100 Hz: 3000 samples for 100 columns, 30 per column.
        float[] direct = Read(0, 60, 30);
        JsonElement channel = window.GetProperty("channels")[0];
        Assert.Equal("envelope", channel.GetProperty("format").GetString());
        Assert.Equal("EEG Fpz-Cz", channel.GetProperty("label").GetString());
        Assert.Equal("uV", channel.GetProperty("unit").GetString());
        Assert.Equal(100, channel.GetProperty("sampling_rate").GetDouble());
        Assert.Equal("eeg", channel.GetProperty("kind").GetString());
        Assert.Equal(["EEG Fpz-Cz"], channel.GetProperty("model_derivations").EnumerateArray().Select(d => d.GetString()));
        for (int c = 0; c < 100; c++)
        {
            ArraySegment<float> column = new(direct, c * 30, 30);
            Assert.Equal(column.Min(), channel.GetProperty("min")[c].GetSingle());
            Assert.Equal(column.Max(), channel.GetProperty("max")[c].GetSingle());
        }
    }

    [Fact]
    public async Task Window_OfASlowChannel_IsItsSamples_AndTheModelDoesNotReadIt()
    {
        JsonElement window = await Client.GetFromJsonAsync<JsonElement>(Signals + "?start=60&duration=30&channels=Resp%20oro-nasal");

        JsonElement channel = window.GetProperty("channels")[0];
        Assert.Equal("samples", channel.GetProperty("format").GetString());
        Assert.Equal("respiration", channel.GetProperty("kind").GetString());
        Assert.Empty(channel.GetProperty("model_derivations").EnumerateArray());
        int index = channel.GetProperty("index").GetInt32();
        Assert.Equal(Read(index, 60, 30), channel.GetProperty("samples").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Fact]
    public async Task Window_ByDefault_HoldsEveryOrdinarySignal_AndIsNullPastTheEnd()
    {
        // The recording lasts 7650 s: the last 20 s of this 30-s window have no data.
        JsonElement window = await Client.GetFromJsonAsync<JsonElement>(Signals + "?start=7640&duration=30&width=300");

        using EdfReader reader = EdfReader.Open(TestStudies.Sample);
        Assert.Equal(reader.Signals.Where(s => !s.IsAnnotation).Select(s => s.Label), window.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("label").GetString()));
        JsonElement eeg = window.GetProperty("channels")[0].GetProperty("min");
        Assert.Equal(300, eeg.GetArrayLength());
        Assert.Equal(JsonValueKind.Number, eeg[99].ValueKind);
        Assert.Equal(JsonValueKind.Null, eeg[100].ValueKind);
        Assert.Equal(7650, window.GetProperty("recording_seconds").GetDouble());
    }

    [Fact]
    public async Task Window_AtTheLargestSettings_StaysWithinChannelsTimesTwoTimesWidthNumbers()
    {
        JsonElement window = await Client.GetFromJsonAsync<JsonElement>(Signals + "?start=0&duration=300&width=4000");

        foreach (JsonElement channel in window.GetProperty("channels").EnumerateArray())
        {
            int numbers = channel.GetProperty("format").GetString() == "samples"
                ? channel.GetProperty("samples").GetArrayLength()
                : channel.GetProperty("min").GetArrayLength() + channel.GetProperty("max").GetArrayLength();
            Assert.InRange(numbers, 1, 2 * 4000);
        }
    }

    [Theory]
    [InlineData("start=-1", "start")]
    [InlineData("start=abc", "start")]
    [InlineData("start=7650", "start")] // the recording ends at 7650 s
    [InlineData("duration=0", "duration")]
    [InlineData("duration=301", "duration")]
    [InlineData("duration=NaN", "duration")]
    [InlineData("width=49", "width")]
    [InlineData("width=100.5", "width")]
    [InlineData("channels=99", "channels")]
    [InlineData("channels=EEG%20C3-M2", "channels")]
    public async Task BadParameter_Is400ProblemNamingIt(string query, string parameter)
    {
        HttpResponseMessage response = await Client.GetAsync(Signals + "?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task UnknownStudy_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/studies/st_nope/signals")).StatusCode);
    }

    private static float[] Read(int signal, double start, double duration)
    {
        using EdfReader reader = EdfReader.Open(TestStudies.Sample);
        return reader.ReadPhysical(signal, TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(duration));
    }
}
