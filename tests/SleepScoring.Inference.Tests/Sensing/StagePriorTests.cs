using System.Globalization;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Inference.Sensing;
using SleepScoring.Tests.Common;

using Xunit.Abstractions;

namespace SleepScoring.Inference.Tests.Sensing;

/// <summary>The sensing prior is what the real hypnograms in ../shared/data hold.</summary>
public sealed class StagePriorTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void SleepPeriodShares_AreTheMeanOverTheRealNights()
    {
        var nights = new List<(string Name, Hypnogram Night)>();
        foreach (string path in Directory.GetFiles(SharedData.Require("sleep-edf-features/hypnograms"), "*.edf").Order(StringComparer.Ordinal))
        {
            nights.Add((Path.GetFileName(path), HypnogramFile.Read(path).Hypnogram));
        }

        using (var csv = new StreamReader(SharedData.Require("label-only/slpdb-stages.csv")))
        {
            nights.AddRange(SlpdbStagesCsv.Read(csv).Select(r => (r.Key, r.Value)));
        }

        foreach (string name in (ReadOnlySpan<string>)["label-only/hmc-SN001-scoring.edf", "label-only/yasa-full-6hrs-hypno-30s.txt", "label-only/yasa-sub-02-hypno-30s.txt"])
        {
            nights.Add((name, HypnogramFile.Read(SharedData.Require(name)).Hypnogram));
        }

        double[] mean = new double[5];
        foreach ((string name, Hypnogram night) in nights)
        {
            double[] shares = SleepPeriodShares(night.Stages);
            output.WriteLine($"{name}: {string.Join(" ", shares.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))}");
            for (int c = 0; c < 5; c++)
            {
                mean[c] += shares[c] / nights.Count;
            }
        }

        output.WriteLine($"mean of {nights.Count}: {string.Join(", ", mean.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))}");
        Assert.Equal(37, nights.Count);
        for (int c = 0; c < 5; c++)
        {
            Assert.Equal(mean[c], StagePrior.SleepPeriod[c], 3);
        }

        Assert.Equal(1, StagePrior.SleepPeriod.Sum(), 6);
    }

    /// <summary>W, N1, N2, N3, R shares of the scored epochs from the first to the last sleep epoch.</summary>
    private static double[] SleepPeriodShares(IReadOnlyList<SleepStage> stages)
    {
        int first = -1, last = -1;
        for (int i = 0; i < stages.Count; i++)
        {
            if (stages[i] is SleepStage.N1 or SleepStage.N2 or SleepStage.N3 or SleepStage.R)
            {
                first = first < 0 ? i : first;
                last = i;
            }
        }

        double[] counts = new double[5];
        for (int i = first; i >= 0 && i <= last; i++)
        {
            if (stages[i] <= SleepStage.R)
            {
                counts[(int)stages[i]]++;
            }
        }

        double total = counts.Sum();
        return [.. counts.Select(c => c / total)];
    }
}
