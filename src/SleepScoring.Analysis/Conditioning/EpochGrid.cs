namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// Cuts a recording into 30-s epochs on the clock grid that starts at the recording start (so
/// epochs line up with hypnogram annotations), and marks the ones that cannot be scored: those
/// overlapping an EDF+D gap and those outside the lights period. A trailing part shorter than
/// one epoch is not an epoch.
/// </summary>
public static class EpochGrid
{
    /// <summary>Longest timeline accepted: 72 h (longer ones come from damaged EDF+D onsets and would exhaust memory).</summary>
    public const double MaxDurationSeconds = 72 * 3600;

    /// <summary>Epochs of a recording covering [0, <paramref name="duration"/>) with data only inside <paramref name="segments"/>.</summary>
    /// <exception cref="StudyTooShortException">The recording is shorter than one epoch.</exception>
    /// <exception cref="StudyDurationException">The timeline is longer than <see cref="MaxDurationSeconds"/> (or not a number).</exception>
    public static IReadOnlyList<ConditionedEpoch> Build(double duration, IReadOnlyList<DataSegment> segments, LightsPeriod? lights = null)
    {
        ArgumentNullException.ThrowIfNull(segments);
        int count = (int)Math.Floor((duration + 1e-6) / ConditionedEpoch.Length);
        if (count < 1 && !double.IsNaN(duration))
        {
            throw new StudyTooShortException(duration);
        }

        if (!(duration <= MaxDurationSeconds))
        {
            throw new StudyDurationException(duration);
        }

        var epochs = new ConditionedEpoch[count];
        for (int i = 0; i < count; i++)
        {
            double start = i * ConditionedEpoch.Length;
            epochs[i] = new ConditionedEpoch(i, start, Exclusion(start, segments, lights));
        }

        return epochs;
    }

    private static EpochExclusion Exclusion(double start, IReadOnlyList<DataSegment> segments, LightsPeriod? lights)
    {
        double end = start + ConditionedEpoch.Length;
        double covered = 0;
        bool inside = false;
        foreach (DataSegment s in segments)
        {
            covered += Math.Max(0, Math.Min(end, s.End) - Math.Max(start, s.Start));
            inside |= s.Start <= start + 1e-6 && s.End >= end - 1e-6;
        }

        if (!inside)
        {
            return covered <= 1e-6 ? EpochExclusion.InGap : EpochExclusion.CrossesGap;
        }

        return lights is not null && !lights.Overlaps(start, ConditionedEpoch.Length)
            ? EpochExclusion.OutsideLightsPeriod
            : EpochExclusion.None;
    }
}
