using SleepScoring.Analysis;

namespace SleepScoring.Inference.Explanation;

/// <summary>Why an epoch is in the clinical review queue.</summary>
[Flags]
public enum ClinicalReason
{
    None = 0,

    /// <summary>The model's confidence is below the review threshold.</summary>
    LowConfidence = 1,

    /// <summary>The stage differs from both neighbours' stages.</summary>
    IsolatedStage = 2,

    /// <summary>Had the epoch the model's runner-up stage, sleep onset (SOL) would move.</summary>
    SleepOnset = 4,

    /// <summary>Had the epoch the model's runner-up stage, the first REM epoch (REM latency) would move.</summary>
    FirstRem = 8,

    /// <summary>The first epoch of a long wake bout after sleep onset (WASO, awakenings); ranked for the whole bout.</summary>
    WakeBout = 16,
}

/// <summary>One epoch of the clinical review queue.</summary>
/// <param name="Index">Epoch number.</param>
/// <param name="WrongProbability">1 − confidence (for a wake bout: the bout's mean).</param>
/// <param name="Alternative">The model's runner-up stage: what the epoch would most likely be if the model is wrong.</param>
/// <param name="ImpactMinutes">How many minutes the report's figures move if the epoch is the alternative (see <see cref="ClinicalReviewRanking"/>).</param>
/// <param name="Reasons">Why it is listed.</param>
public sealed record ClinicalReview(int Index, double WrongProbability, SleepStage Alternative, double ImpactMinutes, ClinicalReason Reasons)
{
    /// <summary>Expected minutes of error: probability of being wrong × clinical impact. The queue's order.</summary>
    public double Priority => WrongProbability * ImpactMinutes;
}

/// <summary>Settings of <see cref="ClinicalReviewRanking"/>.</summary>
public sealed record ClinicalReviewOptions
{
    /// <summary>Epoch length in seconds.</summary>
    public double EpochSeconds { get; init; } = 30;

    /// <summary>Epochs below this confidence are listed whatever their impact (the model card's review threshold).</summary>
    public double ConfidenceThreshold { get; init; } = 0.7;

    /// <summary>A confident epoch is listed when its expected error (priority) reaches this many minutes.</summary>
    public double MinimumPriorityMinutes { get; init; } = 1.0;

    /// <summary>A run of wake after sleep onset at least this long is a long wake bout.</summary>
    public double LongWakeBoutMinutes { get; init; } = 5.0;
}

/// <summary>
/// Ranks the epochs a clinician should check by the expected error they put into the report:
/// probability that the model's stage is wrong × clinical impact, in minutes. The impact of an
/// epoch is its own half minute of TST/WASO plus the largest shift it causes, were it the model's
/// runner-up stage, in sleep-onset latency or REM latency (REM latency from sleep onset: a single
/// unsure R just after onset otherwise reports a false SOREMP) — or, for the first epoch of a long
/// wake bout after onset, the bout's length. Computed on the model's hypnogram within the lights
/// window, so the queue does not move while a scorer works through it.
/// </summary>
public static class ClinicalReviewRanking
{
    /// <summary>The queue, highest priority first (then by epoch).</summary>
    /// <param name="stages">The model's stage per epoch.</param>
    /// <param name="probabilities">Per epoch W, N1, N2, N3, R; null (or all zero) for unscored epochs.</param>
    /// <param name="windowStart">First epoch of the analysis window (lights-off).</param>
    /// <param name="windowEnd">Epoch after the last of the window (lights-on).</param>
    /// <param name="options">Thresholds.</param>
    public static IReadOnlyList<ClinicalReview> Rank(IReadOnlyList<SleepStage> stages, IReadOnlyList<float[]?> probabilities, int windowStart, int windowEnd, ClinicalReviewOptions options)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(options);
        if (stages.Count != probabilities.Count)
        {
            throw new ArgumentException($"{stages.Count} stages but {probabilities.Count} probability rows.", nameof(probabilities));
        }

        if (windowStart < 0 || windowEnd > stages.Count || windowStart > windowEnd)
        {
            throw new ArgumentOutOfRangeException(nameof(windowStart), $"window {windowStart}–{windowEnd} is not within 0–{stages.Count}");
        }

        var night = new NightLandmarks(stages, windowStart, windowEnd);
        double epochMinutes = options.EpochSeconds / 60;
        var queue = new List<ClinicalReview>();
        for (int i = 0; i < stages.Count; i++)
        {
            if (!IsScored(stages[i]) || probabilities[i] is not float[] p || p.Sum() <= 0)
            {
                continue;
            }

            double confidence = p.Max();
            SleepStage alternative = RunnerUp(p, stages[i]);
            ClinicalReason reasons = ModelFlags(stages, i, confidence, options.ConfidenceThreshold);
            double shift = 0;
            if (i >= windowStart && i < windowEnd)
            {
                (double solShift, double remShift) = night.ShiftsIfStageWere(i, alternative);
                reasons |= solShift > 0 ? ClinicalReason.SleepOnset : ClinicalReason.None;
                reasons |= remShift > 0 ? ClinicalReason.FirstRem : ClinicalReason.None;
                shift = Math.Max(solShift, remShift) * epochMinutes;
            }

            double wrong = 1 - confidence;
            if (night.WakeBoutStartingAt(i) is int boutLength && boutLength * epochMinutes >= options.LongWakeBoutMinutes)
            {
                reasons |= ClinicalReason.WakeBout;
                shift = Math.Max(shift, boutLength * epochMinutes);
                wrong = Enumerable.Range(i, boutLength).Average(j => 1 - (probabilities[j]?.Max() ?? 1));
            }

            double impact = (i >= windowStart && i < windowEnd ? epochMinutes : 0) + shift;
            var review = new ClinicalReview(i, wrong, alternative, impact, reasons);
            bool flagged = (reasons & (ClinicalReason.LowConfidence | ClinicalReason.IsolatedStage)) != 0;
            if (flagged || (reasons != ClinicalReason.None && review.Priority >= options.MinimumPriorityMinutes))
            {
                queue.Add(review);
            }
        }

        return [.. queue.OrderByDescending(r => r.Priority).ThenBy(r => r.Index)];
    }

    private static bool IsScored(SleepStage s) => s is not (SleepStage.Unscored or SleepStage.Artefact);

    private static SleepStage RunnerUp(float[] p, SleepStage current)
    {
        int best = -1;
        for (int c = 0; c < p.Length; c++)
        {
            if (c != (int)current && (best < 0 || p[c] > p[best]))
            {
                best = c;
            }
        }

        return (SleepStage)best;
    }

    // The flags of the model's own queue (ReviewQueue): low confidence, or unlike both neighbours.
    private static ClinicalReason ModelFlags(IReadOnlyList<SleepStage> stages, int i, double confidence, double threshold)
    {
        ClinicalReason reasons = confidence < threshold ? ClinicalReason.LowConfidence : ClinicalReason.None;
        if (ReviewQueue.IsIsolated(stages, i))
        {
            reasons |= ClinicalReason.IsolatedStage;
        }

        return reasons;
    }

    /// <summary>Sleep onset, first REM and the wake bouts of one hypnogram's window, and how one changed epoch moves them.</summary>
    private sealed class NightLandmarks
    {
        private readonly IReadOnlyList<SleepStage> stages;
        private readonly int end;
        private readonly int onset, firstRem;
        private readonly Dictionary<int, int> wakeBouts = [];

        public NightLandmarks(IReadOnlyList<SleepStage> stages, int start, int end)
        {
            this.stages = stages;
            this.end = end;
            onset = Next(start - 1, IsSleep);
            firstRem = Next(start - 1, s => s == SleepStage.R);
            int last = end - 1;
            while (last >= start && !IsSleep(stages[last]))
            {
                last--;
            }

            // Runs of W between sleep onset and the last sleep epoch.
            for (int i = onset; i < last; i++)
            {
                if (stages[i] == SleepStage.W && stages[i - 1] != SleepStage.W)
                {
                    int j = i;
                    while (stages[j] == SleepStage.W)
                    {
                        j++;
                    }

                    wakeBouts[i] = j - i;
                }
            }
        }

        /// <summary>Length (epochs) of the wake bout after onset that starts at <paramref name="i"/>, or null.</summary>
        public int? WakeBoutStartingAt(int i) => wakeBouts.TryGetValue(i, out int length) ? length : null;

        /// <summary>Epochs by which sleep onset and REM latency move if epoch <paramref name="i"/> had stage <paramref name="other"/> (no sleep or no REM: the window's end stands in).</summary>
        public (double Onset, double RemLatency) ShiftsIfStageWere(int i, SleepStage other)
        {
            int newOnset = Moved(onset, i, IsSleep(stages[i]), IsSleep(other), IsSleep);
            int newRem = Moved(firstRem, i, stages[i] == SleepStage.R, other == SleepStage.R, s => s == SleepStage.R);
            return (Math.Abs(newOnset - onset), Math.Abs((newRem - newOnset) - (firstRem - onset)));
        }

        // Where the first epoch with a property lands when epoch i gains or loses it.
        private int Moved(int first, int i, bool had, bool has, Func<SleepStage, bool> property) =>
            (had, has) switch
            {
                (false, true) => Math.Min(first, i),
                (true, false) when i == first => Next(i, property),
                _ => first,
            };

        // The first epoch after `after` (within the window) with the property, or the window's end.
        private int Next(int after, Func<SleepStage, bool> property)
        {
            for (int i = after + 1; i < end; i++)
            {
                if (property(stages[i]))
                {
                    return i;
                }
            }

            return end;
        }

        private static bool IsSleep(SleepStage s) => s is SleepStage.N1 or SleepStage.N2 or SleepStage.N3 or SleepStage.R;
    }
}
