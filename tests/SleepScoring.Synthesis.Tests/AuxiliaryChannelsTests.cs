using SleepScoring.Synthesis;

namespace SleepScoring.Synthesis.Tests;

public sealed class AuxiliaryChannelsTests
{
    [Fact]
    public void Generate_GivesSleepEdfsFiveChannels_AtTheirRates()
    {
        IReadOnlyList<SurrogateSignal> channels = AuxiliaryChannels.Generate(10, seed: 3);
        Assert.Equal(["EOG horizontal", "Resp oro-nasal", "EMG submental", "Temp rectal", "Event marker"], channels.Select(c => c.Label));
        Assert.Equal([3000 * 10, 300, 300, 300, 300], channels.Select(c => c.Samples.Length));
        Assert.Equal([100.0, 1, 1, 1, 1], channels.Select(c => c.SamplingRate));
    }

    [Fact]
    public void Generate_DependsOnlyOnSeedAndLength_AndIsPlausible()
    {
        // The API takes no features and no stages: nothing about sleep can reach these channels.
        IReadOnlyList<SurrogateSignal> a = AuxiliaryChannels.Generate(120, seed: 9);
        IReadOnlyList<SurrogateSignal> b = AuxiliaryChannels.Generate(120, seed: 9);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Samples, b[i].Samples);
        }

        // EOG: AR(1) parts of 6, 5 and 4 µV RMS (√77 ≈ 8.8 µV) plus decaying saccade steps: 5–40 µV RMS.
        double eogRms = Math.Sqrt(a[0].Samples.Average(v => (double)v * v));
        Assert.InRange(eogRms, 5, 40);
        Assert.All(a[3].Samples, t => Assert.InRange(t, 35.5, 38.5)); // rectal temperature, °C
        Assert.All(a[2].Samples, v => Assert.True(v > 0));            // EMG envelope is positive
        Assert.All(a[4].Samples, v => Assert.Equal(0f, v));            // event marker never pressed
    }
}
