namespace SleepScoring.Analysis.Staging;

/// <summary>
/// Turns stage annotations (one per run of equal epochs, or one per epoch) into epochs.
/// Rules, applied to every format that stores onset/duration runs:
/// <list type="bullet">
/// <item>Epoch <c>i</c> covers [i·L, (i+1)·L); an annotation [onset, onset+duration) scores every epoch
/// whose midpoint (i+½)·L lies inside it. Runs that are not multiples of L, or start off the grid,
/// therefore round to the nearest epoch boundary (a warning says how many).</item>
/// <item>A stage annotation without duration (or duration 0) scores the one epoch its onset falls in.</item>
/// <item>Gaps (epochs no annotation covers) are <see cref="SleepStage.Unscored"/>.</item>
/// <item>Overlaps: an epoch claimed by two annotations with different stages is set Unscored
/// (we do not guess which scorer's label is right); equal stages overlapping are harmless.</item>
/// <item><c>Lights off</c>/<c>Lights on</c> texts become <see cref="AnnotatedHypnogram.LightsOffSeconds"/>/<see cref="AnnotatedHypnogram.LightsOnSeconds"/>;
/// any other non-stage text is ignored (counted in a warning).</item>
/// <item>The hypnogram ends with the last epoch a stage annotation covers, or after
/// <c>recordingSeconds</c> (whole epochs) when that is given.</item>
/// </list>
/// </summary>
public static class StageTimeline
{
    /// <summary>Builds the epochs from <paramref name="annotations"/>.</summary>
    /// <param name="annotations">Annotations in any order; onsets relative to the hypnogram start.</param>
    /// <param name="epochSeconds">Epoch length L in seconds.</param>
    /// <param name="startTime">Wall-clock time of onset 0, when known.</param>
    /// <param name="recordingSeconds">Length of the recording: when given, the hypnogram has exactly ⌊seconds/L⌋ epochs.</param>
    /// <param name="strictLabels">When true, a text that is not a stage label is an error rather than ignored.</param>
    /// <exception cref="HypnogramFormatException">A negative or non-finite onset or duration, an unknown
    /// label in strict mode, no stage annotation at all, or a night longer than <see cref="Hypnogram.MaxEpochs"/>.</exception>
    public static AnnotatedHypnogram Build(
        IReadOnlyList<StageAnnotation> annotations,
        double epochSeconds = Hypnogram.StandardEpochSeconds,
        DateTime? startTime = null,
        double? recordingSeconds = null,
        bool strictLabels = false)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var runs = new List<(int Number, int First, int End, SleepStage Stage)>(annotations.Count);
        double? lightsOff = null, lightsOn = null;
        int ignored = 0, offGrid = 0, maxEnd = 0;
        long totalCovered = 0;
        for (int k = 0; k < annotations.Count; k++)
        {
            StageAnnotation a = annotations[k];
            int number = k + 1;
            CheckTime(number, "onset", a.Onset);
            if (a.Duration is double d)
            {
                CheckTime(number, "duration", d);
            }

            if (!StageLabel.TryParse(a.Text, out SleepStage stage))
            {
                if (IsLights(a.Text, "Lights off"))
                {
                    lightsOff ??= a.Onset;
                }
                else if (IsLights(a.Text, "Lights on"))
                {
                    lightsOn = a.Onset;
                }
                else if (strictLabels)
                {
                    throw new HypnogramFormatException(number, "stage", a.Text, "not a sleep stage label (expected W, N1, N2, N3, R, Sleep stage …, ?, Uns, Art)");
                }
                else
                {
                    ignored++;
                }

                continue;
            }

            double duration = a.Duration is double dd && dd > 0 ? dd : 0;
            (int first, int end) = duration > 0
                ? (FirstEpochAtOrAfter(a.Onset, epochSeconds), FirstEpochAtOrAfter(a.Onset + duration, epochSeconds))
                : ((int)Math.Floor(a.Onset / epochSeconds), (int)Math.Floor(a.Onset / epochSeconds) + 1);
            if (end > Hypnogram.MaxEpochs)
            {
                throw new HypnogramFormatException(number, duration > 0 ? "duration" : "onset", a.Text, $"reaches past {Hypnogram.MaxEpochs} epochs of {epochSeconds} s");
            }

            if (duration > 0 && (!OnGrid(a.Onset, epochSeconds) || !OnGrid(duration, epochSeconds)))
            {
                offGrid++;
            }

            if (end > first)
            {
                // Bounds the work of Fill: many huge overlapping runs would otherwise cost annotations × epochs.
                totalCovered += end - first;
                if (totalCovered > 4L * Hypnogram.MaxEpochs)
                {
                    throw new HypnogramFormatException(number, "duration", a.Text, $"stage annotations overlap to cover more than {4 * Hypnogram.MaxEpochs} epochs in total");
                }

                runs.Add((number, first, end, stage));
                maxEnd = Math.Max(maxEnd, end);
            }
        }

        if (runs.Count == 0)
        {
            throw new HypnogramFormatException(0, "stage", null, $"no sleep stage annotation among {annotations.Count} annotations");
        }

        int count = recordingSeconds is double r ? EpochsIn(r, epochSeconds) : maxEnd;
        var warnings = new List<string>();
        SleepStage[] stages = Fill(runs, count, warnings);
        if (offGrid > 0)
        {
            warnings.Add($"{offGrid} stage annotations are not whole {epochSeconds}-s epochs on the grid; each epoch took the stage covering its midpoint.");
        }

        if (ignored > 0)
        {
            warnings.Add($"{ignored} annotations that are not sleep stages were ignored.");
        }

        if (maxEnd > count)
        {
            warnings.Add($"Stage annotations run {maxEnd - count} epochs past the recording's {count} epochs; those were dropped.");
        }

        return new AnnotatedHypnogram(new Hypnogram(stages, epochSeconds, startTime), lightsOff, lightsOn, warnings);
    }

    private static SleepStage[] Fill(List<(int Number, int First, int End, SleepStage Stage)> runs, int count, List<string> warnings)
    {
        var stages = new SleepStage[count];
        var covered = new bool[count];
        var conflict = new bool[count];
        foreach ((_, int first, int end, SleepStage stage) in runs)
        {
            for (int i = first; i < Math.Min(end, count); i++)
            {
                if (covered[i] && stages[i] != stage)
                {
                    conflict[i] = true;
                }

                covered[i] = true;
                stages[i] = stage;
            }
        }

        int gaps = 0, conflicts = 0;
        for (int i = 0; i < count; i++)
        {
            if (!covered[i])
            {
                gaps++;
                stages[i] = SleepStage.Unscored;
            }
            else if (conflict[i])
            {
                conflicts++;
                stages[i] = SleepStage.Unscored;
            }
        }

        if (gaps > 0)
        {
            warnings.Add($"{gaps} epochs are covered by no stage annotation and are Unscored.");
        }

        if (conflicts > 0)
        {
            warnings.Add($"{conflicts} epochs are claimed by overlapping annotations with different stages and are Unscored.");
        }

        return stages;
    }

    // First epoch whose midpoint is at or after t: (i + 1/2)·L ≥ t.
    private static int FirstEpochAtOrAfter(double t, double epochSeconds) =>
        Math.Max(0, (int)Math.Ceiling((t / epochSeconds) - 0.5));

    private static int EpochsIn(double seconds, double epochSeconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0 || seconds / epochSeconds > Hypnogram.MaxEpochs)
        {
            throw new HypnogramFormatException(0, "recording duration", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), $"must be between 0 and {Hypnogram.MaxEpochs} epochs");
        }

        return (int)Math.Floor(seconds / epochSeconds);
    }

    private static bool OnGrid(double seconds, double epochSeconds)
    {
        double epochs = seconds / epochSeconds;
        return Math.Abs(epochs - Math.Round(epochs)) < 1e-6;
    }

    private static bool IsLights(string text, string what) =>
        text.AsSpan().TrimStart().StartsWith(what, StringComparison.OrdinalIgnoreCase);

    private static void CheckTime(int number, string field, double value)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new HypnogramFormatException(number, field, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be a finite number of seconds ≥ 0");
        }

        if (value > Hypnogram.MaxEpochs * 3600.0)
        {
            throw new HypnogramFormatException(number, field, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "is implausibly large for a sleep recording");
        }
    }
}
