namespace SleepScoring.Analysis.Statistics;

/// <summary>
/// Sleep statistics of one hypnogram, computed by <see cref="SleepStatisticsCalculator"/>.
/// Conventions (epoch length L, all durations in minutes):
/// <list type="bullet">
/// <item><b>Analysis window</b>: from the start of the epoch containing lights-off to the end of the
/// epoch containing lights-on (whole epochs); the whole hypnogram when they are not given.
/// Everything below counts epochs inside the window only.</item>
/// <item><b>Excluded epochs</b>: Unscored and Artefact epochs are counted (<see cref="UnscoredEpochs"/>,
/// <see cref="ArtefactEpochs"/>) and excluded from TIB, TST, WASO and the stage minutes; latencies are
/// clock time and do include them.</item>
/// <item><b>Sleep</b> is N1, N2, N3 or R.</item>
/// </list>
/// </summary>
public sealed record SleepStatistics
{
    /// <summary>Epoch length in seconds.</summary>
    public required double EpochSeconds { get; init; }

    /// <summary>First epoch of the analysis window (the one containing lights-off; 0 without lights-off).</summary>
    public required int WindowStartEpoch { get; init; }

    /// <summary>Number of epochs in the analysis window, scored or not.</summary>
    public required int WindowEpochs { get; init; }

    /// <summary>Clock duration of the analysis window (lights-off to lights-on, rounded out to whole epochs).</summary>
    public required double WindowMinutes { get; init; }

    /// <summary>Unscored epochs in the window (<c>?</c>, movement time, gaps).</summary>
    public required int UnscoredEpochs { get; init; }

    /// <summary>Artefact epochs in the window.</summary>
    public required int ArtefactEpochs { get; init; }

    /// <summary>TIB (time in bed, TRT): scored epochs (W, N1, N2, N3, R) in the window × L.</summary>
    public required double TimeInBedMinutes { get; init; }

    /// <summary>Index of the first sleep epoch in the window (sleep onset); null when there is no sleep.</summary>
    public required int? SleepOnsetEpoch { get; init; }

    /// <summary>Index of the last sleep epoch in the window (the final awakening follows it); null when there is no sleep.</summary>
    public required int? LastSleepEpoch { get; init; }

    /// <summary>SOL: window start (lights-off) to the start of the first epoch of any sleep stage; null without sleep.</summary>
    public required double? SleepOnsetLatencyMinutes { get; init; }

    /// <summary>
    /// Latency to persistent sleep: window start to the first of ⌈10 min / L⌉ consecutive sleep
    /// epochs (20 at 30 s); an unscored epoch breaks the run. Null when no such run exists.
    /// </summary>
    public required double? PersistentSleepLatencyMinutes { get; init; }

    /// <summary>TST: sleep epochs (N1, N2, N3, R) in the window × L.</summary>
    public required double TotalSleepTimeMinutes { get; init; }

    /// <summary>
    /// SPT: from the start of the sleep-onset epoch to the end of the last sleep epoch, both
    /// included (clock time, so unscored epochs inside count); 0 without sleep.
    /// SPT = TST + WASO + unscored/artefact time within SPT.
    /// </summary>
    public required double SleepPeriodTimeMinutes { get; init; }

    /// <summary>WASO: W epochs between sleep onset and the last sleep epoch × L.</summary>
    public required double WakeAfterSleepOnsetMinutes { get; init; }

    /// <summary>SE: 100 · TST / TIB, in percent; null when TIB is 0.</summary>
    public required double? SleepEfficiencyPercent { get; init; }

    /// <summary>REM latency from sleep onset (not lights-off) to the first R epoch; null when R never occurs.</summary>
    public required double? RemLatencyMinutes { get; init; }

    /// <summary>Minutes per scored stage (W, N1, N2, N3, R) in the window; W is all wake, not only WASO.</summary>
    public required IReadOnlyDictionary<SleepStage, double> StageMinutes { get; init; }

    /// <summary>Percent of TST per sleep stage (N1, N2, N3, R); all 0 when TST is 0.</summary>
    public required IReadOnlyDictionary<SleepStage, double> StagePercentOfSleep { get; init; }

    /// <summary>
    /// Awakenings: runs of one or more consecutive W epochs between sleep onset and the last sleep
    /// epoch, after removing unscored/artefact epochs from the sequence (so <c>W ? W</c> is one awakening).
    /// </summary>
    public required int Awakenings { get; init; }

    /// <summary>Stage pairs of consecutive scored epochs in the window.</summary>
    public required StageTransitionMatrix Transitions { get; init; }
}
