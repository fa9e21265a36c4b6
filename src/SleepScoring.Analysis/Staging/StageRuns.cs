namespace SleepScoring.Analysis.Staging;

/// <summary>
/// The inverse of <see cref="StageTimeline"/>: a hypnogram as one annotation per run of equal
/// labels (the Sleep-EDF layout), onsets in seconds from the hypnogram start.
/// </summary>
public static class StageRuns
{
    /// <summary>One <see cref="StageAnnotation"/> per run of epochs with equal annotation text.</summary>
    public static IReadOnlyList<StageAnnotation> ToAnnotations(Hypnogram hypnogram, StageLabelStyle style)
    {
        ArgumentNullException.ThrowIfNull(hypnogram);
        var runs = new List<StageAnnotation>();
        ReadOnlySpan<SleepStage> stages = hypnogram.StageSpan;
        int start = 0;
        for (int i = 1; i <= stages.Length; i++)
        {
            // Stages that share a text in this style (Unscored/Artefact in Sleep-EDF style) merge into one run.
            if (i < stages.Length && StageLabel.ToAnnotation(stages[i], style) == StageLabel.ToAnnotation(stages[start], style))
            {
                continue;
            }

            runs.Add(new StageAnnotation(
                hypnogram.OnsetSeconds(start),
                (i - start) * hypnogram.EpochSeconds,
                StageLabel.ToAnnotation(stages[start], style)));
            start = i;
        }

        return runs;
    }
}
