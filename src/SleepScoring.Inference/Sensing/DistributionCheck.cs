using SleepScoring.Analysis;

namespace SleepScoring.Inference.Sensing;

/// <summary>
/// How far a scored night is from what the model knows, by the sensing objective applied to the
/// whole night as scored: mean entropy of the stage probabilities plus the weighted divergence of
/// the stage shares from real nights', over the night's own sleep period (first to last epoch
/// scored as sleep; every scored epoch when none is). Training-like nights score low; a night the
/// model cannot read (wrong signals, heavy noise) is uncertain or implausibly staged, or both.
/// </summary>
public static class DistributionCheck
{
    /// <summary>The objective over the sleep period of a scored night; null when no epoch was scored.</summary>
    public static double? NightObjective(SensingObjective objective, IReadOnlyList<SleepStage> stages, IReadOnlyList<float[]> probabilities)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(probabilities);
        int[] scored = [.. Enumerable.Range(0, stages.Count).Where(i => stages[i] <= SleepStage.R)];
        int[] asleep = [.. scored.Where(i => stages[i] is not SleepStage.W)];
        if (scored.Length == 0)
        {
            return null;
        }

        int[] counted = asleep.Length == 0 ? scored : [.. scored.Where(i => i >= asleep[0] && i <= asleep[^1])];
        int classes = probabilities[counted[0]].Length;
        float[] rows = new float[counted.Length * classes];
        for (int k = 0; k < counted.Length; k++)
        {
            probabilities[counted[k]].CopyTo(rows.AsSpan(k * classes, classes));
        }

        return objective.Score(rows, classes).Value;
    }
}
