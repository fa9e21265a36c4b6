using SleepScoring.Analysis;
using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Staging;
using SleepScoring.Edf;
using SleepScoring.Inference.Scoring;
using SleepScoring.Inference.Sensing;
using SleepScoring.Training.Metrics;

namespace SleepScoring.Lab.Bench;

/// <summary>One night of the site-shift benchmark scored one way: its counted confusion and what sensing chose.</summary>
/// <param name="Confusion">Counted epochs (sleep period ± 30 min of the scored hypnogram), truth against stage.</param>
/// <param name="Chosen">The presentation scored.</param>
/// <param name="NightObjective">The sensing objective over the night as scored.</param>
/// <param name="Candidates">With the exhaustive option: every candidate the search tried, its objective and its full-night accuracy.</param>
/// <param name="OutOfDistribution">Whether the service would queue the whole study (objective over the card's limit, or read through a low-pass); null when not scored by the service.</param>
/// <param name="BroadbandNoise">Whether sensing read the study through a low-pass (out of distribution whatever the card's limit); null without sensing.</param>
internal sealed record NightOutcome(ConfusionMatrix Confusion, string Chosen, double? NightObjective, IReadOnlyList<CandidateOutcome> Candidates, bool? OutOfDistribution = null, bool? BroadbandNoise = null);

/// <summary>
/// A sensing candidate with its objective on the sample, its accuracy on the sample's scored epochs
/// and, when asked, on the whole night (for tuning the objective).
/// </summary>
internal sealed record CandidateOutcome(string Step, string Candidate, double Entropy, double PriorDivergence, double SampleAccuracy, double? Accuracy);

/// <summary>Scores a benchmark night with the service's <see cref="StudyScorer"/> and counts it against its hypnogram.</summary>
internal static class SiteScoring
{
    private static readonly SensingObjective Objective = new SensingOptions().Objective;

    /// <summary>Scores <paramref name="psg"/> (plain, or with adaptive sensing) and counts it against <paramref name="hypnogram"/>.</summary>
    public static NightOutcome Score(StudyScorer scorer, string psg, string hypnogram, bool sensing, bool exhaustive = false)
    {
        using EdfReader reader = EdfReader.Open(psg);
        var request = new ScoringRequest { AdaptiveSensing = sensing, Explain = false };
        ConditionedStudy study = scorer.Condition(reader, request);
        ScoredStudy scored = scorer.Score(reader, study, request);
        SleepStage[] truth = Truth(study, hypnogram);
        var candidates = new List<CandidateOutcome>();
        if (scored.Sensing is { } s)
        {
            IReadOnlyList<int> sample = s.Result.SampleEpochIndices;
            foreach (SensingEvaluation e in s.Result.Evaluated)
            {
                int[] counted = [.. Enumerable.Range(0, sample.Count).Where(i => truth[sample[i]] <= SleepStage.R)];
                double sampleAccuracy = counted.Length == 0 ? double.NaN : counted.Count(i => e.SampleStages[i] == (int)truth[sample[i]]) / (double)counted.Length;
                double? accuracy = null;
                if (exhaustive)
                {
                    ScoredStudy alternative = scorer.ScoreAs(reader, study, request with { AdaptiveSensing = false }, e.Candidate);
                    accuracy = StagingMetrics.From(Count(truth, [.. alternative.Epochs.Select(x => x.Stage)])).Accuracy;
                }

                candidates.Add(new CandidateOutcome(e.Step, e.Candidate.Describe(), e.Score.Entropy, e.Score.PriorDivergence, sampleAccuracy, accuracy));
            }
        }

        return new NightOutcome(Count(truth, [.. scored.Epochs.Select(e => e.Stage)]), scored.Sensing?.Result.Chosen.Describe() ?? "plain", scored.Sensing?.NightObjective, candidates, scored.Sensing?.OutOfDistribution, scored.Sensing?.BroadbandNoise);
    }

    /// <summary>
    /// Scores <paramref name="psg"/> once per slot assignment of <paramref name="set"/> (gain 1): the
    /// pairings of its EEG derivations in their own slots, or those and each derivation alone, and
    /// stages each epoch by the mean of their probabilities (as U-Sleep averages channel groups).
    /// Each assignment's own full-night accuracy and mean entropy are listed as candidates.
    /// </summary>
    public static NightOutcome ScoreAveraged(StudyScorer scorer, string psg, string hypnogram, AssignmentSet set = AssignmentSet.Natural)
    {
        using EdfReader reader = EdfReader.Open(psg);
        var request = new ScoringRequest { AdaptiveSensing = true, Explain = false };
        ConditionedStudy study = scorer.Condition(reader, request);
        SleepStage[] truth = Truth(study, hypnogram);
        IReadOnlyList<SensingCandidate> assignments = scorer.Assignments(study, set);
        float[][]? sum = null;
        SleepStage[] stages = [];
        var candidates = new List<CandidateOutcome>();
        foreach (SensingCandidate assignment in assignments)
        {
            ScoredStudy scored = scorer.ScoreAs(reader, study, request with { AdaptiveSensing = false }, assignment);
            sum ??= [.. scored.Epochs.Select(_ => new float[5])];
            stages = [.. scored.Epochs.Select(e => e.Stage)];
            float[][] rows = [.. scored.Epochs.Select(e => e.Probabilities).OfType<float[]>()];
            for (int i = 0; i < scored.Epochs.Count; i++)
            {
                float[]? p = scored.Epochs[i].Probabilities;
                for (int c = 0; p is not null && c < 5; c++)
                {
                    sum[i][c] += p[c];
                }
            }

            // The group's own mean entropy and prior divergence, as sensing's objective scores a sample.
            SensingScore? score = rows.Length == 0 ? null : Objective.Score([.. rows.SelectMany(r => r)], rows[0].Length);
            double accuracy = StagingMetrics.From(Count(truth, stages)).Accuracy;
            candidates.Add(new CandidateOutcome("group", assignment.Describe(), score?.Entropy ?? double.NaN, score?.PriorDivergence ?? double.NaN, double.NaN, accuracy));
        }

        SleepStage[] averaged = [.. stages.Select((s, i) => s is SleepStage.Unscored or SleepStage.Artefact ? s : (SleepStage)StageProbabilities.ArgMax(sum![i]))];
        return new NightOutcome(Count(truth, averaged), $"mean of {assignments.Count} assignments", null, candidates);
    }

    /// <summary>The scored stage of every study epoch, Unscored where the epoch or its score is unusable (as training loads nights).</summary>
    private static SleepStage[] Truth(ConditionedStudy study, string hypnogram)
    {
        Hypnogram night = HypnogramEdf.Read(hypnogram, recordingSeconds: study.Duration).Hypnogram;
        return [.. study.Epochs.Select(e => e.Scorable && e.Index < night.Count && night.Stages[e.Index] <= SleepStage.R ? night.Stages[e.Index] : SleepStage.Unscored)];
    }

    /// <summary>Counted epochs: scored by the hypnogram and by the model, inside the sleep period ± 30 min.</summary>
    private static ConfusionMatrix Count(SleepStage[] truth, SleepStage[] predicted)
    {
        var matrix = new ConfusionMatrix();
        int[] indices = [.. Enumerable.Range(0, truth.Length)];
        if (Training.Baseline.SleepPeriod.Window(indices, truth) is not (int first, int last))
        {
            return matrix;
        }

        for (int i = Math.Max(0, first); i <= Math.Min(truth.Length - 1, last); i++)
        {
            if (truth[i] <= SleepStage.R && predicted[i] <= SleepStage.R)
            {
                matrix.Add(truth[i], predicted[i]);
            }
        }

        return matrix;
    }
}
