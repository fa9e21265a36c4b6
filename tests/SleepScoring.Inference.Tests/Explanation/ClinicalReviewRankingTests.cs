using SleepScoring.Analysis;
using SleepScoring.Inference.Explanation;

namespace SleepScoring.Inference.Tests.Explanation;

/// <summary>The clinical queue on hypnograms built by hand: the figures are worked out in the comments.</summary>
public sealed class ClinicalReviewRankingTests
{
    private static readonly ClinicalReviewOptions Options = new() { ConfidenceThreshold = 0.5, MinimumPriorityMinutes = 1.0, LongWakeBoutMinutes = 5 };

    [Fact]
    public void A_single_unsure_R_just_after_onset_ranks_first_for_the_REM_latency_it_fakes()
    {
        // W ×10, N1 at 10, N2 11–199 with one R at 15 (confidence 0.6, runner-up N2), REM period from 200.
        var night = new Night(260, SleepStage.W);
        night.Set(10, 260, SleepStage.N2, 0.95f);
        night.Set(10, 11, SleepStage.N1, 0.9f);
        night.Set(200, 260, SleepStage.R, 0.95f);
        night.Set(15, 16, SleepStage.R, 0.6f, runnerUp: SleepStage.N2);
        night.Set(120, 121, SleepStage.N2, 0.45f, runnerUp: SleepStage.N3); // less sure, but moves nothing but itself

        IReadOnlyList<ClinicalReview> queue = night.Rank(Options);

        // Reported REM latency 15 − 10 = 5 epochs (2.5 min); were epoch 15 N2 it would be 200 − 10 = 190 epochs:
        // a shift of 185 epochs = 92.5 min, plus the epoch's own 0.5 min. Priority 0.4 × 93 = 37.2.
        ClinicalReview first = queue[0];
        Assert.Equal(15, first.Index);
        Assert.Equal(SleepStage.N2, first.Alternative);
        Assert.Equal(93.0, first.ImpactMinutes, 6);
        Assert.Equal(0.4 * 93.0, first.Priority, 4);
        Assert.True(first.Reasons.HasFlag(ClinicalReason.FirstRem));
        Assert.True(first.Reasons.HasFlag(ClinicalReason.IsolatedStage));
        ClinicalReview unsure = queue.Single(r => r.Index == 120);
        Assert.Equal(0.55 * 0.5, unsure.Priority, 4); // low confidence: listed, but only its own half minute at stake
        Assert.True(queue.ToList().IndexOf(unsure) > 0);
    }

    [Fact]
    public void An_onset_epoch_followed_by_wake_is_listed_for_the_sleep_onset_latency_it_decides()
    {
        // W ×5, a lone N1 at 5 (confidence 0.8, runner-up W), W 6–24, stable N2 from 25.
        var night = new Night(80, SleepStage.W, 0.99f);
        night.Set(25, 80, SleepStage.N2, 0.97f);
        night.Set(5, 6, SleepStage.N1, 0.8f, runnerUp: SleepStage.W);

        IReadOnlyList<ClinicalReview> queue = night.Rank(Options);

        // Were epoch 5 wake, onset moves from 5 to 25: 20 epochs = 10 min; impact 10.5, priority 0.2 × 10.5 = 2.1.
        ClinicalReview onset = Assert.Single(queue, r => r.Index == 5);
        Assert.Equal(10.5, onset.ImpactMinutes, 6);
        Assert.Equal(2.1, onset.Priority, 4);
        Assert.True(onset.Reasons.HasFlag(ClinicalReason.SleepOnset));
        // The confident wake epochs before onset (p wrong 0.01) move onset by at most 2.5 min: 0.03 expected minutes, not listed.
        Assert.DoesNotContain(queue, r => r.Index < 5);
        Assert.Equal(new[] { 5 }, queue.Where(r => r.Reasons.HasFlag(ClinicalReason.SleepOnset) && r.Priority >= 1).Select(r => r.Index));
    }

    [Fact]
    public void A_long_unsure_wake_bout_is_listed_once_at_its_start_and_outranks_a_lone_unsure_epoch()
    {
        // N2 from 0; a 12-epoch (6-min) wake bout at 40–51 and a 4-epoch (2-min) one at 80–83, both at confidence 0.8.
        var night = new Night(120, SleepStage.N2, 0.97f);
        night.Set(40, 52, SleepStage.W, 0.8f, runnerUp: SleepStage.N1);
        night.Set(80, 84, SleepStage.W, 0.8f, runnerUp: SleepStage.N1);
        night.Set(100, 101, SleepStage.N2, 0.45f, runnerUp: SleepStage.N3);

        IReadOnlyList<ClinicalReview> queue = night.Rank(Options);

        // The long bout: impact 0.5 + 6 = 6.5 min, mean p wrong 0.2 → priority 1.3. The short bout is not long (2 < 5 min).
        ClinicalReview bout = queue[0];
        Assert.Equal(40, bout.Index);
        Assert.Equal(ClinicalReason.WakeBout, bout.Reasons);
        Assert.Equal(6.5, bout.ImpactMinutes, 6);
        Assert.Equal(1.3, bout.Priority, 4);
        Assert.DoesNotContain(queue, r => r.Index is > 40 and < 52 or >= 80 and < 84);
        Assert.Equal(100, queue[1].Index);
    }

    [Fact]
    public void Epochs_outside_the_lights_window_move_no_statistic_but_unsure_ones_stay_listed_last()
    {
        // Lights-off at epoch 10: an unsure N1 at 3 (before lights-off) neither decides onset nor counts in TST.
        var night = new Night(60, SleepStage.W, 0.99f);
        night.Set(3, 4, SleepStage.N1, 0.4f, runnerUp: SleepStage.W);
        night.Set(20, 60, SleepStage.N2, 0.97f);
        night.Set(30, 31, SleepStage.N2, 0.45f, runnerUp: SleepStage.N1);

        IReadOnlyList<ClinicalReview> queue = night.Rank(Options, windowStart: 10);

        Assert.Equal(new[] { 30, 3 }, queue.Select(r => r.Index));
        Assert.Equal(0, queue[1].ImpactMinutes);
        Assert.Equal(ClinicalReason.LowConfidence | ClinicalReason.IsolatedStage, queue[1].Reasons);
    }

    [Fact]
    public void Unscored_epochs_are_never_listed()
    {
        var night = new Night(10, SleepStage.N2, 0.3f);
        night.Set(4, 5, SleepStage.Unscored, 0f);

        IReadOnlyList<ClinicalReview> queue = night.Rank(Options);

        Assert.DoesNotContain(queue, r => r.Index == 4);
        Assert.Equal(9, queue.Count);
    }

    [Fact]
    public void Mismatched_inputs_are_refused_with_the_sizes()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ClinicalReviewRanking.Rank([SleepStage.W], [], 0, 1, Options));
        Assert.Contains("1 stages but 0", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClinicalReviewRanking.Rank([SleepStage.W], [[1f, 0, 0, 0, 0]], 0, 2, Options));
    }

    /// <summary>
    /// A hypnogram with probabilities: the stage gets the confidence, the runner-up the rest up to
    /// 0.9 × the confidence (so the stage stays the most probable), the other three share what remains.
    /// </summary>
    private sealed class Night
    {
        private readonly SleepStage[] stages;
        private readonly float[]?[] probabilities;

        public Night(int epochs, SleepStage stage, float confidence = 0.95f)
        {
            stages = new SleepStage[epochs];
            probabilities = new float[]?[epochs];
            Set(0, epochs, stage, confidence);
        }

        public void Set(int from, int to, SleepStage stage, float confidence, SleepStage? runnerUp = null)
        {
            for (int i = from; i < to; i++)
            {
                stages[i] = stage;
                if (stage is SleepStage.Unscored or SleepStage.Artefact)
                {
                    probabilities[i] = null;
                    continue;
                }

                SleepStage other = runnerUp ?? (stage == SleepStage.W ? SleepStage.N1 : SleepStage.W);
                float runner = Math.Min(1 - confidence, 0.9f * confidence);
                float[] p = new float[5];
                Array.Fill(p, (1 - confidence - runner) / 3);
                p[(int)stage] = confidence;
                p[(int)other] = runner;
                probabilities[i] = p;
            }
        }

        public IReadOnlyList<ClinicalReview> Rank(ClinicalReviewOptions options, int windowStart = 0) =>
            ClinicalReviewRanking.Rank(stages, probabilities, windowStart, stages.Length, options);
    }
}
