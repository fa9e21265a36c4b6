using SleepScoring.Analysis;
using SleepScoring.Analysis.Signals;
using SleepScoring.Synthesis;

namespace SleepScoring.Synthesis.Tests;

/// <summary>Feature rows typical of the Sleep-EDF tables (values copied from SC4001E0.csv rows 0, 2 and 3 and an N3-like row).</summary>
internal static class SynthesisTestData
{
    public static readonly EpochFeatures WakeFpz = new(171.924, 22.546, 1.77766, 0.619058, 0.632717, 1322.24, 0.23928);
    public static readonly EpochFeatures AlphaPz = new(5.39917, 1.35245, 6.22408, 0.265145, 0.155395, 80.2247, 0.394127);
    public static readonly EpochFeatures WakeFpz2 = new(135.105, 5.8736, 2.86459, 0.975299, 1.37383, 1004.96, 0.34911);
    public static readonly EpochFeatures SlowWaveFpz = new(400, 30, 6, 1.2, 0.05, 1800, 0.12);

    public static NightFeatures Night(params (int Epoch, SleepStage Stage)[] epochs) =>
        new("SC9999E0", [.. epochs.Select((e, i) => new FeatureRow(e.Epoch, e.Stage, i % 2 == 0 ? WakeFpz : WakeFpz2, AlphaPz))]);
}
