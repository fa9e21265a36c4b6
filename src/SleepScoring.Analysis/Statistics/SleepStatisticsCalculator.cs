using SleepScoring.Analysis.Staging;

namespace SleepScoring.Analysis.Statistics;

/// <summary>Computes <see cref="SleepStatistics"/> from a hypnogram (definitions on that type).</summary>
public static class SleepStatisticsCalculator
{
    /// <summary>Continuous sleep needed for persistent-sleep latency.</summary>
    public const double PersistentSleepMinutes = 10;

    /// <summary>Computes the statistics.</summary>
    /// <param name="hypnogram">The scored night.</param>
    /// <param name="lightsOffSeconds">Lights-off, seconds from the hypnogram start; null = the start.</param>
    /// <param name="lightsOnSeconds">Lights-on, seconds from the hypnogram start; null = the end.</param>
    /// <exception cref="ScoringInputException">Lights times outside the hypnogram, or lights-on not after lights-off.</exception>
    public static SleepStatistics Compute(Hypnogram hypnogram, double? lightsOffSeconds = null, double? lightsOnSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(hypnogram);
        double l = hypnogram.EpochSeconds;
        (int start, int end) = Window(hypnogram, lightsOffSeconds, lightsOnSeconds);
        ReadOnlySpan<SleepStage> window = hypnogram.StageSpan[start..end];

        int? onset = null, last = null, firstRem = null;
        var epochsPerStage = new int[7];
        for (int i = 0; i < window.Length; i++)
        {
            SleepStage s = window[i];
            epochsPerStage[(int)s]++;
            if (IsSleep(s))
            {
                onset ??= i;
                last = i;
                if (s == SleepStage.R)
                {
                    firstRem ??= i;
                }
            }
        }

        int scored = epochsPerStage[..5].Sum();
        int sleep = scored - epochsPerStage[(int)SleepStage.W];
        double Minutes(int epochs) => epochs * l / 60.0;

        var stageMinutes = new Dictionary<SleepStage, double>();
        var stagePercent = new Dictionary<SleepStage, double>();
        for (int s = 0; s < 5; s++)
        {
            stageMinutes[(SleepStage)s] = Minutes(epochsPerStage[s]);
            if (s != (int)SleepStage.W)
            {
                stagePercent[(SleepStage)s] = sleep == 0 ? 0 : 100.0 * epochsPerStage[s] / sleep;
            }
        }

        SleepStage[] scoredSequence = [.. window.ToArray().Where(s => (int)s < 5)];
        (int wasoEpochs, int awakenings) = onset is int o && last is int e ? WakeWithinSleepPeriod(window[o..(e + 1)]) : (0, 0);
        int? persistent = FirstContinuousSleep(window, (int)Math.Ceiling(PersistentSleepMinutes * 60 / l));

        return new SleepStatistics
        {
            EpochSeconds = l,
            WindowStartEpoch = start,
            WindowEpochs = window.Length,
            WindowMinutes = Minutes(window.Length),
            UnscoredEpochs = epochsPerStage[(int)SleepStage.Unscored],
            ArtefactEpochs = epochsPerStage[(int)SleepStage.Artefact],
            TimeInBedMinutes = Minutes(scored),
            SleepOnsetEpoch = start + onset,
            LastSleepEpoch = start + last,
            SleepOnsetLatencyMinutes = onset is int so ? Minutes(so) : null,
            PersistentSleepLatencyMinutes = persistent is int p ? Minutes(p) : null,
            TotalSleepTimeMinutes = Minutes(sleep),
            SleepPeriodTimeMinutes = onset is int a && last is int b ? Minutes(b - a + 1) : 0,
            WakeAfterSleepOnsetMinutes = Minutes(wasoEpochs),
            SleepEfficiencyPercent = scored == 0 ? null : 100.0 * sleep / scored,
            RemLatencyMinutes = firstRem is int r && onset is int so2 ? Minutes(r - so2) : null,
            StageMinutes = stageMinutes,
            StagePercentOfSleep = stagePercent,
            Awakenings = awakenings,
            Transitions = new StageTransitionMatrix(scoredSequence),
        };
    }

    private static bool IsSleep(SleepStage s) => s is SleepStage.N1 or SleepStage.N2 or SleepStage.N3 or SleepStage.R;

    private static (int Start, int End) Window(Hypnogram hypnogram, double? lightsOff, double? lightsOn)
    {
        double total = hypnogram.Count * hypnogram.EpochSeconds;
        double off = lightsOff ?? 0;
        double on = lightsOn ?? total;
        if (!double.IsFinite(off) || off < 0 || off >= total)
        {
            throw new ScoringInputException($"Lights-off ({lightsOff} s) must lie within the hypnogram (0 to {total} s).", nameof(lightsOff));
        }

        if (!double.IsFinite(on) || on <= off || on > total)
        {
            throw new ScoringInputException($"Lights-on ({lightsOn} s) must lie after lights-off ({off} s) and within the hypnogram ({total} s).", nameof(lightsOn));
        }

        int start = (int)Math.Floor(off / hypnogram.EpochSeconds);
        int end = Math.Min(hypnogram.Count, (int)Math.Ceiling(on / hypnogram.EpochSeconds));
        return (start, end);
    }

    // W epochs and runs of W within the sleep period; unscored epochs are skipped, not run breakers.
    private static (int WakeEpochs, int Runs) WakeWithinSleepPeriod(ReadOnlySpan<SleepStage> period)
    {
        int wake = 0, runs = 0;
        bool inWake = false;
        foreach (SleepStage s in period)
        {
            if (s == SleepStage.W)
            {
                wake++;
                runs += inWake ? 0 : 1;
                inWake = true;
            }
            else if (IsSleep(s))
            {
                inWake = false;
            }
        }

        return (wake, runs);
    }

    private static int? FirstContinuousSleep(ReadOnlySpan<SleepStage> window, int needed)
    {
        int run = 0;
        for (int i = 0; i < window.Length; i++)
        {
            run = IsSleep(window[i]) ? run + 1 : 0;
            if (run == needed)
            {
                return i - needed + 1;
            }
        }

        return null;
    }
}
