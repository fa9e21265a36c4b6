using SleepScoring.Analysis;
using SleepScoring.Inference.Explanation;

namespace SleepScoring.Inference.Tests.Explanation;

public sealed class ReviewQueueTests
{
    [Fact]
    public void Low_confidence_and_isolated_epochs_are_listed_most_likely_wrong_first()
    {
        SleepStage[] stages = [SleepStage.N2, SleepStage.N2, SleepStage.R, SleepStage.N2, SleepStage.N2, SleepStage.N3];
        double[] confidence = [0.9, 0.5, 0.8, 0.95, 0.6, 0.99];

        IReadOnlyList<EpochReview> queue = ReviewQueue.Build(stages, confidence, threshold: 0.7);

        // Epoch 1 (0.5) and 4 (0.6) are below 0.7; epoch 2 (R between N2s) is isolated.
        // Epoch 5 (last) has one neighbour only, so it is not "isolated".
        Assert.Equal(new[] { 1, 4, 2 }, queue.Select(r => r.Index));
        Assert.Equal(ReviewReason.IsolatedStage, queue[2].Reasons);
        Assert.Equal(0.5, queue[0].WrongProbability, 10);
    }

    [Fact]
    public void Unscored_epochs_are_never_listed_nor_make_a_neighbour_isolated()
    {
        SleepStage[] stages = [SleepStage.Unscored, SleepStage.W, SleepStage.N1, SleepStage.Unscored];

        IReadOnlyList<EpochReview> queue = ReviewQueue.Build(stages, [0.1, 0.99, 0.99, 0.1], threshold: 0.5);

        Assert.Empty(queue);
    }

    [Fact]
    public void An_out_of_distribution_study_lists_every_scored_epoch_most_likely_wrong_first()
    {
        SleepStage[] stages = [SleepStage.W, SleepStage.N2, SleepStage.Artefact, SleepStage.N2, SleepStage.N2];
        double[] confidence = [0.99, 0.9, 0.2, 0.6, 0.95];

        IReadOnlyList<EpochReview> queue = ReviewQueue.Build(stages, confidence, threshold: 0.7, wholeStudy: true);

        // Four scored epochs (the artefact is not scored); epoch 3 is also below 0.7.
        Assert.Equal(new[] { 3, 1, 4, 0 }, queue.Select(r => r.Index));
        Assert.All(queue, r => Assert.True(r.Reasons.HasFlag(ReviewReason.OutOfDistribution)));
        Assert.Equal(ReviewReason.OutOfDistribution | ReviewReason.LowConfidence, queue[0].Reasons);
    }
}
