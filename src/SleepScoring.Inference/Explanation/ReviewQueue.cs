using SleepScoring.Analysis;

namespace SleepScoring.Inference.Explanation;

/// <summary>Why an epoch is listed for review.</summary>
[Flags]
public enum ReviewReason
{
    None = 0,

    /// <summary>The confidence is below the review threshold.</summary>
    LowConfidence = 1,

    /// <summary>The stage differs from both neighbours' stages (an isolated epoch).</summary>
    IsolatedStage = 2,

    /// <summary>The whole study is far from the training data (every scored epoch is listed).</summary>
    OutOfDistribution = 4,
}

/// <summary>An epoch for the scorer to look at, with the model's estimate that its stage is wrong.</summary>
public sealed record EpochReview(int Index, double WrongProbability, ReviewReason Reasons);

/// <summary>
/// Lists the epochs a technician should check first: low confidence, or a stage unlike both
/// neighbours (scorer disagreement clusters at transitions). Ordered by the estimated probability
/// that the stage is wrong, 1 − confidence (the confidence is calibrated on held-out nights).
/// </summary>
public static class ReviewQueue
{
    /// <summary>
    /// The queue of a night; with <paramref name="wholeStudy"/> (the study is out of the training
    /// distribution) every scored epoch is listed, still most likely wrong first.
    /// </summary>
    public static IReadOnlyList<EpochReview> Build(IReadOnlyList<SleepStage> stages, IReadOnlyList<double> confidence, double threshold, bool wholeStudy = false)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(confidence);
        if (stages.Count != confidence.Count)
        {
            throw new ArgumentException($"{stages.Count} stages but {confidence.Count} confidences.", nameof(confidence));
        }

        var reviews = new List<EpochReview>();
        for (int i = 0; i < stages.Count; i++)
        {
            if (stages[i] is SleepStage.Unscored or SleepStage.Artefact)
            {
                continue;
            }

            ReviewReason reasons = ReviewReason.None;
            if (confidence[i] < threshold)
            {
                reasons |= ReviewReason.LowConfidence;
            }

            if (IsIsolated(stages, i))
            {
                reasons |= ReviewReason.IsolatedStage;
            }

            if (wholeStudy)
            {
                reasons |= ReviewReason.OutOfDistribution;
            }

            if (reasons != ReviewReason.None)
            {
                reviews.Add(new EpochReview(i, 1 - confidence[i], reasons));
            }
        }

        return reviews.OrderByDescending(r => r.WrongProbability).ThenBy(r => r.Index).ToArray();
    }

    /// <summary>Whether epoch <paramref name="i"/>'s stage differs from both scored neighbours' stages (scorers disagree most at such transitions).</summary>
    public static bool IsIsolated(IReadOnlyList<SleepStage> stages, int i)
    {
        ArgumentNullException.ThrowIfNull(stages);
        return i > 0 && i < stages.Count - 1 && stages[i - 1] != stages[i] && stages[i + 1] != stages[i]
            && stages[i - 1] is not (SleepStage.Unscored or SleepStage.Artefact)
            && stages[i + 1] is not (SleepStage.Unscored or SleepStage.Artefact);
    }
}
