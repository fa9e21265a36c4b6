using SleepScoring.Api.Security;

namespace SleepScoring.Api.Tests.Support;

/// <summary>One service with the sample study scored once, shared by the read-endpoint tests.</summary>
public sealed class ScoredSampleFixture : IAsyncLifetime
{
    internal ApiFactory Factory { get; } = new();

    internal HttpClient Technician { get; private set; } = null!;

    public string StudyId { get; private set; } = string.Empty;

    public byte[] Edf { get; } = File.ReadAllBytes(TestStudies.Sample);

    public async Task InitializeAsync()
    {
        Technician = await Factory.ClientAsync(Roles.Technician);
        StudyId = await Technician.ScoreAsync(Edf, "?lights_off=0");
    }

    public Task DisposeAsync()
    {
        Technician.Dispose();
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
