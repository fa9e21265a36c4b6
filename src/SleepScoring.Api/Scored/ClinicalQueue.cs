using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Api.Domain;
using SleepScoring.Inference.Explanation;

namespace SleepScoring.Api.Scored;

/// <summary>The clinical review queue of a scored study: <see cref="ClinicalReviewRanking"/> on the model's hypnogram within the study's lights window.</summary>
public static class ClinicalQueue
{
    public static IReadOnlyList<ClinicalReview> Of(ScoredResult result, double threshold)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Epochs.Count == 0)
        {
            return [];
        }

        var model = new Hypnogram(result.ModelStages, Hypnogram.StandardEpochSeconds, result.Start, result.Probabilities);
        SleepStatistics window = SleepStatisticsCalculator.Compute(model, result.Study.AnalysedLightsOff, result.Study.AnalysedLightsOn);
        var options = new ClinicalReviewOptions { EpochSeconds = Hypnogram.StandardEpochSeconds, ConfidenceThreshold = threshold };
        return ClinicalReviewRanking.Rank(result.ModelStages, result.Probabilities, window.WindowStartEpoch, window.WindowStartEpoch + window.WindowEpochs, options);
    }

    /// <summary>The reason names of the API (snake_case).</summary>
    public static IReadOnlyList<string> ReasonNames(ClinicalReason reasons) =>
        [.. Enum.GetValues<ClinicalReason>().Where(r => r != ClinicalReason.None && reasons.HasFlag(r)).Select(r => r switch
        {
            ClinicalReason.LowConfidence => "low_confidence",
            ClinicalReason.IsolatedStage => "isolated_stage",
            ClinicalReason.SleepOnset => "sleep_onset",
            ClinicalReason.FirstRem => "first_rem",
            _ => "wake_bout",
        })];
}
