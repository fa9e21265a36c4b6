using System.Diagnostics;
using System.Globalization;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Analysis.Signals;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Model;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Inference.Sensing;

/// <summary>
/// Adaptive sensing (after Lens): before a study is scored, present a sample of its epochs to the
/// model in several ways — which recorded EEG derivation feeds which slot, the gain, optionally a
/// filter — and keep the one the model's own label-free test likes best (<see cref="SensingObjective"/>).
/// The search is greedy, one knob at a time: one gain for all filled slots of the montage's own
/// assignment, then the other slot assignments at that gain (and the gain a step either side when
/// the assignment changed), optionally each slot's gain a step up and down. The filters are tried
/// first, and gains start at the amplitude estimate (<see cref="AmplitudeProfile"/>). Only the input side
/// changes; the integer graphs are the shipped ones. Not thread-safe (the model's sessions).
/// </summary>
public sealed class AdaptiveSensing
{
    private const float MinimumGain = 0.35f, MaximumGain = 2.83f;
    private static readonly float StepUp = MathF.Sqrt(2);

    /// <summary>A gain step down and up (×1/√2, ×√2).</summary>
    private static readonly float[] Steps = [1 / StepUp, StepUp];
    private readonly StagingModel model;
    private readonly SensingOptions options;
    private readonly DerivationRole[] slotRoles;
    private readonly AmplitudeNormalisation? normalisation;

    /// <summary>No filter beyond the model's conditioning, named by its band (0.3–35 Hz, or the card's low-pass).</summary>
    private readonly SensingFilter asConditioned;

    /// <summary>Searches with <paramref name="model"/> as <paramref name="options"/> say.</summary>
    public AdaptiveSensing(StagingModel model, SensingOptions? options = null)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        this.options = options ?? new SensingOptions();
        slotRoles = SlotRoles(model);
        normalisation = model.Card.Input.AmplitudeNormalisation;
        asConditioned = SensingFilter.AsConditioned(model.Card.Input.EffectiveConditioningLowPass);
    }

    /// <summary>The model's EEG slot roles in band order.</summary>
    public static DerivationRole[] SlotRoles(StagingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.Card.Input.Derivations.Select(name => ModelDerivations.All.FirstOrDefault(d => d.Name == name)?.Role
            ?? throw new ModelFileException($"model card: input derivation '{name}' is not one the montage knows ({string.Join(", ", ModelDerivations.All.Select(d => d.Name))})."))];
    }

    /// <summary>
    /// The study as its montage resolved it, at gain 1 — or, for a model whose input is normalised per
    /// night (<see cref="AmplitudeNormalisation"/>), at the gains that normalise it, as the model was
    /// trained: what scoring without sensing reads.
    /// </summary>
    public SensingResult Plain(ConditionedStudy study, string reason = "adaptive sensing off: the montage as resolved, gain 1", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        ConditionedDerivation?[] slots = [.. slotRoles.Select(study.For)];
        if (normalisation is null)
        {
            return new SensingResult(false, new SensingCandidate(slots, [.. slots.Select(_ => 1f)], asConditioned), [], 0, reason);
        }

        using var run = new SearchRun(this, study, cancellationToken);
        run.SampleBlocks();
        SlotAmplitude[] amplitude = run.Amplitudes(slots);
        return new SensingResult(false, run.Matched(slots), [], 0, reason.Replace("gain 1", "amplitude normalised", StringComparison.Ordinal) + "; " + Normalised(amplitude, run.ShortForNormalising))
        {
            Amplitude = amplitude,
        };
    }

    /// <summary>
    /// <paramref name="assignments"/> as the model's input takes them without a search: at gain 1, or at
    /// a normalising model's gains (each lead brought to its slot's target over the sample's span).
    /// </summary>
    public IReadOnlyList<SensingCandidate> AsInput(ConditionedStudy study, IEnumerable<IReadOnlyList<ConditionedDerivation?>> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(assignments);
        if (normalisation is null)
        {
            return [.. assignments.Select(a => new SensingCandidate([.. a], [.. a.Select(_ => 1f)], asConditioned))];
        }

        using var run = new SearchRun(this, study, cancellationToken);
        run.SampleBlocks();
        return [.. assignments.Select(run.Matched)];
    }

    /// <summary>E.g. <c>amplitude normalised to the model's (lower quartile of epoch amplitudes): F4-M1 ×0.52 (night 13.4 µV, trained 7.0 µV)</c>.</summary>
    private string Normalised(IEnumerable<SlotAmplitude> amplitude, bool excerpt) => excerpt && options.Amplitude is not null
        ? string.Create(CultureInfo.InvariantCulture, $"shorter than a night, so not normalised but brought among the training nights' amplitudes (quantile {normalisation!.Quantile:0.##} of the epoch amplitudes, as recorded): {string.Join(", ", amplitude.Select(a => a.Describe()))}")
        : string.Create(CultureInfo.InvariantCulture, $"amplitude normalised to the model's (quantile {normalisation!.Quantile:0.##} of the epoch amplitudes): {string.Join(", ", amplitude.Select(a => a.Describe()))}");

    /// <summary>
    /// Per slot of the montage as resolved, its derivation's night amplitude (<see cref="EpochAmplitude.NightMedian"/>)
    /// over the span the sensing sample is drawn from; null for a silent slot. What the training
    /// profile (<see cref="AmplitudeProfile"/>) is measured by.
    /// </summary>
    public IReadOnlyList<double?> NightAmplitudes(ConditionedStudy study, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        using var run = new SearchRun(this, study, cancellationToken);
        run.SampleBlocks();
        return [.. run.Amplitudes([.. slotRoles.Select(study.For)], measureAll: true).Select(a => a.Night)];
    }

    /// <summary>Searches the candidates on a sample of <paramref name="study"/>'s epochs and returns the best.</summary>
    public SensingResult Search(ConditionedStudy study, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (study.Montage.ExplicitEeg)
        {
            return Plain(study, "explicit channel mapping: the user's assignment, gain 1", cancellationToken);
        }

        long started = Stopwatch.GetTimestamp();
        using var run = new SearchRun(this, study, cancellationToken);
        int[][] blocks = run.SampleBlocks();
        if (blocks.Length == 0)
        {
            return Plain(study, "no scorable epoch to sample: the montage as resolved, gain 1", cancellationToken);
        }

        // One knob at a time, filter and gain first: at a wrong gain every assignment looks foreign, so the
        // assignments are compared at the best gain of the montage's own, and the gain refined after.
        // Gains are relative to each assignment's amplitude estimate (the gain that brings each slot's
        // derivation to the training amplitude; 1 without a profile): the entropy term favours larger
        // amplitudes and never steps a gain down by the margin, so the estimate is where the search starts.
        // The gain's guard is a night's stage shares; an excerpt shorter than a night can hold
        // half N3 (or none) legitimately, and the guard would then pull a right gain away.
        bool night = !run.Excerpt;
        run.Objective = night ? options.Objective : options.Objective with { PriorWeight = 0 };
        IReadOnlyList<ConditionedDerivation?[]> assignments = options.Assignments ? SlotAssignments.For(study, slotRoles, options.KeepLoneDerivation) : [[.. slotRoles.Select(study.For)]];
        if (run.Estimating)
        {
            // Only what is used: a lead in its own region's slot is matched; the montage's are also reported.
            run.MeasureAmplitudes([.. assignments[0].OfType<ConditionedDerivation>(), .. assignments.SelectMany(a => a.Where((d, slot) => run.InOwnRegion(d, slot)).OfType<ConditionedDerivation>())]);
        }

        SlotAmplitude[]? amplitude = run.Estimating ? run.Amplitudes(assignments[0], measureAll: true) : null;
        SensingEvaluation best = run.Evaluate("assignment", [run.Matched(assignments[0])], blocks)[0];

        // The labels are right far more often than the objective can tell: the swap is not searched when
        // the leads' own spectra clearly agree with their labels (docs/montage.md, montage check).
        var skipped = new List<SensingSkip>();
        MontageCheck? check = options.CheckMontage && assignments.Count > 1 ? run.CheckMontage(assignments[0]) : null;
        ConditionedDerivation?[][] swaps = check is { Agrees: true } ? [.. assignments.Skip(1).Where(a => IsSwap(a, assignments[0]))] : [];
        if (swaps.Length > 0)
        {
            assignments = [.. assignments.Except(swaps)];
            skipped.Add(new SensingSkip("assignment", [.. swaps.Select(Describe)], "the leads' spectra agree with their labels: " + check!.Describe()));
        }

        // Filters first (mildest first: a stronger one must beat a milder by the margin too), by the same objective, on a night only (an excerpt's entropy alone can be
        // lowered by taking detail away), and only by the filter margin: broadband noise makes every
        // gain and assignment look foreign, while a filter that wins by sampling noise would take
        // real fast activity from a clean night.
        // Filters help only against broadband noise, so they are searched only where a lead carries more
        // fast activity than the limit — model-free, as the objective misjudged noisy and one-lead nights
        // (without a limit, the objective's threshold as before). Each step's candidates are encoded together.
        SensingEvaluation unfiltered = best;
        bool noisy = best.Score.Value > options.FilterThreshold;
        SlotFastActivity[]? fast = night && options.Filters.Count > 0 && options.FastActivityLimit is not null ? run.MeasureFastActivity(assignments[0], blocks) : null;
        bool fastNoise = fast is not null && fast.Any(f => f.Share > options.FastActivityLimit);
        bool searchFilters = fast is null ? noisy : fastNoise;
        if (night && searchFilters)
        {
            foreach (SensingEvaluation evaluation in run.Evaluate("filter", [.. options.Filters.Select(f => run.Refitted(unfiltered.Candidate with { Filter = f }))], blocks))
            {
                best = run.Better(best, evaluation, options.FilterMargin);
            }
        }
        else if (night && options.Filters.Count > 0)
        {
            skipped.Add(new SensingSkip("filter", [.. options.Filters.Select(f => f.Name)], FiltersNotSearched(fast, unfiltered)));
        }

        SensingFilter filtered = best.Candidate.Filter;
        SensingCandidate montage = best.Candidate;

        // A normalising model's input is brought to one amplitude per night, so a gain on the recording
        // cancels; stepping around it only let sampling noise move a right gain (the normalising
        // candidate's ×1.5 validation nights, docs/montage.md: 77.9 % normalised, 75.7 % after a step).
        // Gains also need the sampled span to be a night: on a night whose scan found a short span, the
        // prior let a ×0.5 step win where it cost 3.5 points (docs/montage.md, fast activity).
        bool gains = night && !run.ShortSpan && normalisation is null;
        foreach (SensingEvaluation evaluation in run.Evaluate("gain", [.. (gains ? options.Gains : []).Select(gain => run.Scaled(montage, gain))], blocks))
        {
            best = run.Better(best, evaluation, options.GainMargin);
        }

        string excerpt = string.Create(CultureInfo.InvariantCulture, $"{run.ScorableRecording * ConditionedEpoch.Length / 3600:0.#} h of scorable epochs is shorter than a night ({options.NightHours:0.#} h)");
        if (!night && options.Filters.Count > 0)
        {
            skipped.Add(new SensingSkip("filter", [.. options.Filters.Select(f => f.Name)], excerpt + ": an excerpt is judged by entropy alone, which a filter can lower by taking detail away"));
        }

        bool cancels = normalisation is not null && !run.ShortForNormalising;
        bool spanTooShort = night && !gains && !cancels;
        if (!gains && options.Gains.Count > 0)
        {
            skipped.Add(new SensingSkip("gain", [.. options.Gains.Select(g => string.Create(CultureInfo.InvariantCulture, $"×{g:0.##}"))],
                !night ? excerpt + ": an excerpt's stage shares need not be a night's (the prior that guards the gain search)"
                : cancels ? "the model's input is normalised per night (its card's input.amplitude_normalisation): a gain on the recording cancels"
                : ShortSpan(run) + ": a span's stage shares need not be a night's (the prior that guards the gain search)"));
        }

        // The other assignments at their own amplitude estimate (×1 for a lead outside its slot's
        // region) times the gain step the montage's won: at the montage's gain instead, a swapped
        // pair of leads would be read at the gain estimated for the other lead.
        float factor = Factor(best.Candidate, montage);
        SensingEvaluation atGain = best;
        ConditionedDerivation?[][] fewer = searchFilters ? [] : LeavingOut(assignments);
        if (fewer.Length > 0)
        {
            skipped.Add(new SensingSkip("assignment", [.. fewer.Select(Describe)], fast is null
                ? string.Create(CultureInfo.InvariantCulture, $"the montage's objective {unfiltered.Score.Value:F3} is not above the filter threshold {options.FilterThreshold:F3}: a study that reads like the training nights keeps every recorded EEG derivation")
                : string.Create(CultureInfo.InvariantCulture, $"fast activity above {SensingOptions.FastActivityEdge:0.#} Hz {Describe(fast)} is not above the limit {options.FastActivityLimit:F3}: a study without broadband noise keeps every recorded EEG derivation")));
        }

        // Leads whose spectra contradict their labels: the exchange is what the labels would otherwise be, so
        // it wins unless the montage as labelled beats it by the margin (the margin turned round).
        foreach (SensingEvaluation evaluation in run.Evaluate("assignment", [.. assignments.Skip(1).Except(fewer).Select(a => run.Scaled(run.Refitted(run.Matched(a) with { Filter = filtered }), factor))], blocks))
        {
            best = run.Better(best, evaluation, check is { Contradicts: true } && IsSwap(evaluation.Candidate.Slots, assignments[0]) ? -options.Margin : null);
        }

        if (gains && !ReferenceEquals(best, atGain))
        {
            SensingCandidate assigned = run.Refitted(run.Matched(best.Candidate.Slots) with { Filter = filtered });
            foreach (SensingEvaluation evaluation in run.Evaluate("gain", [.. Steps.Select(step => run.Scaled(assigned, MathF.Round(factor * step, 2)))], blocks))
            {
                best = run.Better(best, evaluation, options.GainMargin);
            }
        }

        if (gains && options.PerSlotGains && best.Candidate.Slots.Count(s => s is not null) > 1)
        {
            for (int slot = 0; slot < best.Candidate.Slots.Count; slot++)
            {
                SensingCandidate around = best.Candidate;
                SensingCandidate[] stepped = [.. Steps.Select(step =>
                {
                    float[] gains = [.. around.Gains];
                    gains[slot] = run.Clamp(MathF.Round(gains[slot] * step, 2));
                    return around.WithGains(gains);
                })];
                foreach (SensingEvaluation evaluation in run.Evaluate("slot gain", stepped, blocks))
                {
                    best = run.Better(best, evaluation, options.GainMargin);
                }
            }
        }

        string reason = string.Create(CultureInfo.InvariantCulture,
            $"lowest objective (entropy {best.Score.Entropy:F3} + {run.Objective.PriorWeight:0.##} × prior divergence {best.Score.PriorDivergence:F3} = {best.Score.Value:F3}) of {run.Evaluations.Count} candidates on {blocks.Sum(b => b.Length)} sample epochs");
        if (!night)
        {
            reason += string.Create(CultureInfo.InvariantCulture, $"; no gain step and entropy only: {run.ScorableRecording * ConditionedEpoch.Length / 3600:0.#} h of scorable epochs is shorter than a night ({options.NightHours:0.#} h), and an excerpt's stage shares need not be a night's (the prior that guards the gain search)");
        }
        else if (spanTooShort)
        {
            reason += "; no gain step: " + ShortSpan(run);
        }

        // The estimate is reported when it moved a gain; at ×1 everywhere the study is as loud as training nights were.
        // A normalising model's gains are always reported: they are part of its input.
        SlotAmplitude[]? moved = amplitude is not null && (normalisation is not null || amplitude.Any(a => a.Gain != 1f)) ? amplitude : null;
        if (moved is not null)
        {
            reason += "; " + (normalisation is null ? "amplitude estimate " + string.Join(", ", moved.Select(a => a.Describe())) : Normalised(moved, run.ShortForNormalising));
        }

        if (run.ScanFastActivity is { } scanned)
        {
            reason += string.Create(CultureInfo.InvariantCulture, $"; the sleep scan read the montage low-passed at {SensingOptions.FastActivityEdge:0.#} Hz: fast activity {Describe(scanned)} on its blocks exceeds the limit {options.FastActivityLimit:F3}");
        }

        if (night && !searchFilters && options.Filters.Count > 0)
        {
            reason += "; filters not searched: " + FiltersNotSearched(fast, unfiltered);
        }
        else if (fastNoise)
        {
            reason += string.Create(CultureInfo.InvariantCulture, $"; filters searched: fast activity above {SensingOptions.FastActivityEdge:0.#} Hz {Describe(fast!)} exceeds the limit {options.FastActivityLimit:F3}");
        }

        return new SensingResult(true, best.Candidate, run.Evaluations, blocks.Sum(b => b.Length), reason)
        {
            MontageCheck = check,
            FastActivity = fast,
            FastActivityLimit = fast is null ? null : options.FastActivityLimit,
            SampleEpochIndices = [.. blocks.SelectMany(b => b)],
            Amplitude = moved,
            Skipped = skipped,
            Timings = run.Timings(Stopwatch.GetElapsedTime(started)),
            WholeNightCopies = run.WholeNightCopies(best.Candidate),
        };
    }

    /// <summary>
    /// The assignments after the montage's that leave one of its recorded derivations out. They are
    /// tried only where the filters are (a lead's fast activity over the limit, or without a limit the
    /// objective over the threshold): a model trained with derivation dropout can be surer on one
    /// derivation than on both without being right (the committed sample, 2.1.0: frontal alone 0.23
    /// nats against 0.51 for both, agreement 86 % against 93 %), and a narrow-band study reads above
    /// the threshold without a broken lead (held-out 35-Hz-filtered SC4032E0: 78.3 % with both, 37.0 %
    /// frontal alone, docs/montage.md).
    /// </summary>
    private static ConditionedDerivation?[][] LeavingOut(IReadOnlyList<ConditionedDerivation?[]> assignments)
    {
        int recorded = assignments[0].Count(d => d is not null);
        return [.. assignments.Skip(1).Where(a => a.Count(d => d is not null) < recorded)];
    }

    /// <summary>Why the filters were not searched on a night: the fast activity under its limit, or (without a limit) the montage's objective under the threshold.</summary>
    private string FiltersNotSearched(SlotFastActivity[]? fast, SensingEvaluation montage) => fast is null
        ? string.Create(CultureInfo.InvariantCulture, $"the montage's objective {montage.Score.Value:F3} is not above the filter threshold {options.FilterThreshold:F3}: a night that reads like the training nights is not filtered")
        : string.Create(CultureInfo.InvariantCulture, $"fast activity above {SensingOptions.FastActivityEdge:0.#} Hz {Describe(fast)} is not above the limit {options.FastActivityLimit:F3}: a night without broadband noise is not filtered");

    /// <summary>E.g. <c>EEG Fpz-Cz 0.081, EEG Pz-Oz 0.094</c>.</summary>
    private string ShortSpan(SearchRun run) => string.Create(CultureInfo.InvariantCulture,
        $"the span its sleep scan found holds {run.ScorableSpan * ConditionedEpoch.Length / 3600:0.#} h of scorable epochs, shorter than a night ({options.NightHours:0.#} h)");

    private static string Describe(IEnumerable<SlotFastActivity> fast) => string.Join(", ", fast.Select(f => f.Describe()));

    /// <summary>Whether <paramref name="assignment"/> holds the montage's two leads exchanged.</summary>
    private static bool IsSwap(IReadOnlyList<ConditionedDerivation?> assignment, IReadOnlyList<ConditionedDerivation?> montage) =>
        assignment.Count == 2 && montage.Count == 2 && montage[0] is { } first && montage[1] is { } second
        && assignment[0]?.Source.Key == second.Source.Key && assignment[1]?.Source.Key == first.Source.Key;

    /// <summary>E.g. <c>EEG Fpz-Cz + silent</c>.</summary>
    private static string Describe(ConditionedDerivation?[] assignment) => string.Join(" + ", assignment.Select(d => d?.Source.SourceLabel ?? "silent"));

    /// <summary>The shared step of <paramref name="candidate"/>'s gains over <paramref name="estimate"/>'s (1 when no slot is filled).</summary>
    private static float Factor(SensingCandidate candidate, SensingCandidate estimate)
    {
        int filled = Enumerable.Range(0, candidate.Slots.Count).FirstOrDefault(i => candidate.Slots[i] is not null, -1);
        return filled < 0 ? 1f : candidate.Gains[filled] / estimate.Gains[filled];
    }

    /// <summary>One search: the sample, the filtered signals made so far, the evaluations.</summary>
    private sealed class SearchRun(AdaptiveSensing owner, ConditionedStudy study, CancellationToken cancellationToken) : IDisposable
    {
        private readonly Dictionary<((int, int?) Key, SensingFilter Filter), SampleStore<float>> filtered = [];
        private readonly Dictionary<((int, int?) Key, SensingFilter Filter), double?> reducedAmplitudes = [];
        private readonly NightEncoder encoder = new(owner.model, study.BandEdge);
        private ViewStrips? strips;
        private readonly StepClock encoderClock = new();
        private TimeSpan amplitudeTime, filteringTime, encoderTime, sequenceTime, objectiveTime;

        /// <summary>Disposes the encoder's kept renderers; the sample's strips and filtered copies go with the run.</summary>
        public void Dispose() => encoder.Dispose();

        /// <summary>
        /// The whole-night copies made for <paramref name="chosen"/>'s filter (a noise-floor subtraction reads the
        /// whole night), by derivation, so that scoring does not make them again; empty for other filters.
        /// </summary>
        public IReadOnlyDictionary<(int, int?), SampleStore<float>> WholeNightCopies(SensingCandidate chosen) =>
            chosen.Filter.FloorFromHz is null
                ? new Dictionary<(int, int?), SampleStore<float>>()
                : chosen.Slots.OfType<ConditionedDerivation>().Where(d => filtered.ContainsKey((d.Source.Key, chosen.Filter)))
                    .DistinctBy(d => d.Source.Key).ToDictionary(d => d.Source.Key, d => filtered[(d.Source.Key, chosen.Filter)]);

        /// <summary>Where the search's <paramref name="total"/> time went.</summary>
        public SensingTimings Timings(TimeSpan total) =>
            new(Evaluations.Count, total, amplitudeTime, filteringTime, encoderClock.Rendering, encoderClock.Encoding, encoderTime - encoderClock.Rendering - encoderClock.Encoding, sequenceTime, objectiveTime);

        public List<SensingEvaluation> Evaluations { get; } = [];

        /// <summary>The test candidates are scored by (the options', without the prior on a short recording).</summary>
        public SensingObjective Objective { get; set; } = owner.options.Objective;

        /// <summary>The lights period, or the whole recording without lights: before a scan narrows it (set by <see cref="SampleBlocks"/>).</summary>
        public (int First, int Last) Recording { get; private set; }

        /// <summary>Scorable epochs in the span the sample is drawn from (set by <see cref="SampleBlocks"/>).</summary>
        public int ScorableSpan { get; private set; }

        /// <summary>
        /// Whether the study is shorter than a night (no prior, no filters): its lights period or recording,
        /// not the span a scan found (<see cref="ShortSpan"/>). Broadband noise reads as wake, so a
        /// noisy night's scan can leave less than a night; judged then as an excerpt, its filters went
        /// unsearched (a held-out EMG night with model 2.3.0's fold: 14.9 %, read at 70–85 % through its low-pass).
        /// </summary>
        public bool Excerpt => owner.options.ShorterThanANight(ScorableRecording);

        /// <summary>Whether the span the sample is drawn from is shorter than a night (no gain steps; set by <see cref="SampleBlocks"/>).</summary>
        public bool ShortSpan => owner.options.ShorterThanANight(ScorableSpan);

        /// <summary>
        /// The epochs a night amplitude is measured over: the lights period or the recording for a
        /// normalisation over the recording (not the span the model's own scan found), else the span.
        /// </summary>
        private (int First, int Last) AmplitudeSpan => owner.normalisation is { OverRecording: true } ? Recording : Span;

        /// <summary>
        /// Scorable epochs of the lights period or the recording: the study's own count, as epochs outside
        /// the lights are unscorable — the count the scorer's night objective is judged by.
        /// </summary>
        public int ScorableRecording => study.ScorableEpochs;

        /// <summary>
        /// Whether the normalisation's own span is shorter than a night: the recording's for a
        /// normalisation over the recording (a scan that found a short span does not make a whole
        /// night an excerpt), else the sample's span.
        /// </summary>
        public bool ShortForNormalising => owner.normalisation is { OverRecording: true } ? Excerpt : ShortSpan;

        /// <summary>
        /// The fast activity that made the sleep scan read the montage low-passed (set by <see cref="SampleBlocks"/>
        /// when a scan ran and a lead exceeded the limit; else null).
        /// </summary>
        public SlotFastActivity[]? ScanFastActivity { get; private set; }

        /// <summary>The new evaluation when it beats the best by the margin (the options' by default), else the best.</summary>
        public SensingEvaluation Better(SensingEvaluation best, SensingEvaluation candidate, double? margin = null) =>
            candidate.Score.Value < best.Score.Value - (margin ?? owner.options.Margin) ? candidate : best;

        /// <summary>The study's epochs the sample (and the amplitude estimate) is drawn from (set by <see cref="SampleBlocks"/>).</summary>
        public (int First, int Last) Span { get; private set; }

        /// <summary>
        /// <paramref name="assignment"/> with each slot at the gain that brings its derivation's amplitude
        /// over the span to the slot's training amplitude (<see cref="AmplitudeProfile.Gain"/>; 1 without a profile).
        /// </summary>
        public SensingCandidate Matched(IReadOnlyList<ConditionedDerivation?> assignment) =>
            new([.. assignment], Estimating ? [.. Amplitudes(assignment).Select(a => a.Gain)] : [.. assignment.Select(_ => 1f)], owner.asConditioned);

        /// <summary>
        /// <paramref name="candidate"/> with the gains of a noise-floor subtraction (<see cref="SensingFilter.FloorFromHz"/>)
        /// measured again on the reduced copies: the noise lifted the recording's amplitude, so gains that match the noisy
        /// recording draw the reduced EEG too small (held-out EMG nights of a cross-validation fold: 69.2 % at the noisy
        /// gains, 75.1 % measured again, 76.8 % clean). Other candidates are returned as they are.
        /// </summary>
        public SensingCandidate Refitted(SensingCandidate candidate)
        {
            if (candidate.Filter.FloorFromHz is null || !Estimating)
            {
                return candidate;
            }

            return candidate.WithGains([.. candidate.Slots.Select((d, slot) =>
            {
                double? noisy = d is null ? null : NightAmplitude(d);
                double? reduced = d is null ? null : ReducedAmplitude(d, candidate.Filter);
                return noisy is > 0 && reduced is > 0 ? Clamp(MathF.Round((float)(candidate.Gains[slot] * noisy.Value / reduced.Value), 2)) : candidate.Gains[slot];
            })]);
        }

        /// <summary>The night amplitude of <paramref name="derivation"/>'s copy through <paramref name="filter"/>, measured once per copy.</summary>
        private double? ReducedAmplitude(ConditionedDerivation derivation, SensingFilter filter)
        {
            if (!reducedAmplitudes.TryGetValue((derivation.Source.Key, filter), out double? amplitude))
            {
                SampleStore<float> reduced = Filtered(derivation, filter); // timed as filtering
                long started = Stopwatch.GetTimestamp();
                amplitude = reducedAmplitudes[(derivation.Source.Key, filter)] = Measure(derivation with { Samples = reduced }, AmplitudeSpan.First, AmplitudeSpan.Last);
                amplitudeTime += Stopwatch.GetElapsedTime(started);
            }

            return amplitude;
        }

        /// <summary>Whether gains start from the study's amplitude: a normalising model, or a card with a training amplitude profile.</summary>
        public bool Estimating => owner.normalisation is not null || owner.options.Amplitude is not null;

        /// <summary>The candidate with every filled slot's gain × <paramref name="factor"/> (within the searched range).</summary>
        public SensingCandidate Scaled(SensingCandidate candidate, float factor) =>
            candidate.WithGains([.. candidate.Slots.Select((s, i) => s is null ? 1f : Clamp(MathF.Round(candidate.Gains[i] * factor, 2)))]);

        /// <summary>
        /// A gain within the searched range: ×0.35–×2.83 around a profile's estimate (itself ×0.5–×2), or, for a
        /// normalising model, the normalisation's own range (its gains are where the search starts, not a step).
        /// </summary>
        public float Clamp(float gain) => owner.normalisation is null
            ? Math.Clamp(gain, MinimumGain, MaximumGain)
            : Math.Clamp(gain, AmplitudeNormalisation.MinimumGain, AmplitudeNormalisation.MaximumGain);

        /// <summary>Per slot of <paramref name="assignment"/>: its derivation's amplitude over the span, the slot's training amplitude and the gain between.</summary>
        /// <remarks>
        /// Only a derivation of the slot's own scalp region is matched (a frontal lead in the frontal slot):
        /// the profile says nothing of a central lead's amplitude, and a posterior lead matched up into the
        /// frontal slot looked better to the objective than the right montage on unshifted nights.
        /// </remarks>
        /// <param name="assignment">Per slot, the derivation feeding it (null: silent).</param>
        /// <param name="measureAll">
        /// Measure every derivation's night amplitude (to report it); else only those matched (a lead in
        /// its own region's slot), the only ones whose amplitude moves a gain.
        /// </param>
        public SlotAmplitude[] Amplitudes(IReadOnlyList<ConditionedDerivation?> assignment, bool measureAll = false)
        {
            if (owner.normalisation is { } normalisation)
            {
                // The model was trained on every night normalised, whatever the lead: every filled slot is.
                // An excerpt shorter than a night is not: its quartile follows its own stage mix (the committed
                // 2-h sample, half N3, no REM, measured 1.75× its night's and read at 64 % instead of 88 %), so it
                // is only brought among the training nights as recorded (the profile's range), as without normalisation.
                return [.. assignment.Select((d, slot) =>
                {
                    string name = owner.model.Card.Input.Derivations[slot];
                    double? night = d is null ? null : NightAmplitude(d);
                    if (ShortForNormalising && owner.options.Amplitude is { } profile)
                    {
                        return new SlotAmplitude(name, d?.Source.SourceLabel.Trim(), night, profile.Derivations.FirstOrDefault(p => p.Derivation == name)?.Median, d is null ? 1f : profile.Gain(name, night));
                    }

                    return new SlotAmplitude(name, d?.Source.SourceLabel.Trim(), night, normalisation.TargetMicrovolts[slot], d is null ? 1f : normalisation.Gain(slot, night));
                })];
            }

            SlotAmplitude[] slots = [.. assignment.Select((d, slot) =>
            {
                string name = owner.model.Card.Input.Derivations[slot];
                bool sameRegion = InOwnRegion(d, slot);
                double? night = d is null || !(sameRegion || measureAll) ? null : NightAmplitude(d);
                return new SlotAmplitude(name, d?.Source.SourceLabel.Trim(), night, owner.options.Amplitude?.Derivations.FirstOrDefault(p => p.Derivation == name)?.Median, sameRegion ? owner.options.Amplitude?.Gain(name, night) ?? 1f : 1f);
            })];

            // An amplifier or a referential montage scales every lead: the estimate acts only when every
            // matched lead lies outside the training range on the same side. One lead out of range alone is
            // more likely misplaced (swapped labels), which the assignments judge; matched up, it made the
            // mislabelled montage the objective's favourite over the right swap.
            int[] matched = [.. Enumerable.Range(0, slots.Length).Where(i => assignment[i] is { } d && d.Source.Region is ScalpRegion r && r == ModelDerivations.RegionOf(slots[i].Slot) && slots[i].Night is not null)];
            bool consistent = matched.All(i => slots[i].Gain > 1f) || matched.All(i => slots[i].Gain < 1f);
            return consistent ? slots : [.. slots.Select(a => a with { Gain = 1f })];
        }

        private readonly Dictionary<(int, int?), double?> nightAmplitudes = [];

        /// <summary>
        /// The spectra of the frontal and posterior slots' leads of <paramref name="montage"/> (<see cref="Sensing.MontageCheck"/>)
        /// over up to <see cref="MontageCheck.Epochs"/> scorable epochs spread evenly over the lights period or the
        /// recording — not the sensing sample: a night's sleep alone shows the leads' difference less (on a
        /// held-out night's sleep span the slow shares were 0.65 and 0.66) than its wake and sleep together
        /// — or null without both leads or with a flat one. Filtered here over those epochs only, apart from the sample's copies.
        /// </summary>
        public MontageCheck? CheckMontage(IReadOnlyList<ConditionedDerivation?> montage)
        {
            int frontalSlot = Array.IndexOf(owner.slotRoles, DerivationRole.FrontalEeg), posteriorSlot = Array.IndexOf(owner.slotRoles, DerivationRole.PosteriorEeg);
            if (frontalSlot < 0 || posteriorSlot < 0 || montage[frontalSlot] is not { } frontal || montage[posteriorSlot] is not { } posterior)
            {
                return null;
            }

            long started = Stopwatch.GetTimestamp();
            int[] scorable = ScorableIn(Recording.First, Recording.Last);
            int count = Math.Min(scorable.Length, Sensing.MontageCheck.Epochs);
            int[] epochs = [.. Enumerable.Range(0, count).Select(i => scorable[(int)((long)i * scorable.Length / count)])];
            (long From, long To)[] ranges = [.. epochs.Select(e => ((long)e * ConditionedEpoch.Samples, (long)(e + 1) * ConditionedEpoch.Samples))];
            ConditionedDerivation[] leads = [frontal, posterior];
            SensingFilter[] bands = [EdgeLowPass, SensingFilter.Parse(Sensing.MontageCheck.SlowBand), SensingFilter.Parse(Sensing.MontageCheck.AlphaBand)];
            double?[] shares = new double?[4];
            Parallel.For(0, leads.Length, OnWorkers(), l =>
            {
                var copies = new List<SampleStore<float>>(bands.Length);
                try
                {
                    foreach (SensingFilter band in bands)
                    {
                        copies.Add(FilterOver(leads[l], band, ranges));
                    }

                    shares[l] = Analysis.Conditioning.FastActivity.MedianBandShare(copies[1], copies[0], epochs);
                    shares[2 + l] = Analysis.Conditioning.FastActivity.MedianBandShare(copies[2], copies[0], epochs);
                }
                finally
                {
                    foreach (SampleStore<float> copy in copies)
                    {
                        copy.Dispose();
                    }
                }
            });
            filteringTime += Stopwatch.GetElapsedTime(started);
            return Sensing.MontageCheck.Of(shares[0], shares[1], shares[2], shares[3]);
        }

        /// <summary>The low-pass at <see cref="SensingOptions.FastActivityEdge"/>: what fast activity is measured against, and what the montage check's shares are shares of (the 20-Hz filter candidate's own copy when the card lists it).</summary>
        private static SensingFilter EdgeLowPass { get; } = SensingFilter.Parse(string.Create(CultureInfo.InvariantCulture, $"lp:{SensingOptions.FastActivityEdge}"));

        /// <summary>
        /// Per filled slot of <paramref name="assignment"/>, its fast activity over the sample's epochs
        /// (<see cref="Analysis.Conditioning.FastActivity"/>, against the low-pass at <see cref="SensingOptions.FastActivityEdge"/>,
        /// the same filtered copy a filter candidate at that edge reads).
        /// </summary>
        public SlotFastActivity[] MeasureFastActivity(IReadOnlyList<ConditionedDerivation?> assignment, int[][] blocks)
        {
            Prefilter([new SensingCandidate([.. assignment], [.. assignment.Select(_ => 1f)], EdgeLowPass)], blocks);
            long started = Stopwatch.GetTimestamp();
            SlotFastActivity[] measured = FastActivityOf(assignment, blocks, Filtered, Analysis.Conditioning.FastActivity.MedianShare);
            amplitudeTime += Stopwatch.GetElapsedTime(started);
            return measured;
        }

        /// <summary>
        /// Per filled slot of <paramref name="assignment"/>, <paramref name="statistic"/> of its fast-activity shares over
        /// the <paramref name="blocks"/>' epochs, against its copy low-passed at the edge from <paramref name="lowPassed"/>.
        /// </summary>
        private SlotFastActivity[] FastActivityOf(IReadOnlyList<ConditionedDerivation?> assignment, int[][] blocks, Func<ConditionedDerivation, SensingFilter, SampleStore<float>> lowPassed, Func<SampleStore<float>, SampleStore<float>, IEnumerable<int>, double?> statistic)
        {
            int[] epochs = [.. blocks.SelectMany(b => b)];
            return [.. assignment.Select((d, slot) => (Derivation: d, Slot: slot)).Where(p => p.Derivation is not null).Select(p =>
                new SlotFastActivity(owner.model.Card.Input.Derivations[p.Slot], p.Derivation!.Source.SourceLabel.Trim(), statistic(p.Derivation.Samples, lowPassed(p.Derivation, EdgeLowPass), epochs)))];
        }

        /// <summary>Whether <paramref name="derivation"/> is a lead of <paramref name="slot"/>'s own scalp region (a frontal lead in the frontal slot).</summary>
        public bool InOwnRegion(ConditionedDerivation? derivation, int slot) =>
            derivation?.Source.Region is ScalpRegion region && region == ModelDerivations.RegionOf(owner.model.Card.Input.Derivations[slot]);

        /// <summary>The night amplitudes of <paramref name="derivations"/> not measured yet, side by side on the model's workers.</summary>
        public void MeasureAmplitudes(IEnumerable<ConditionedDerivation> derivations)
        {
            ConditionedDerivation[] needed = [.. derivations.Where(d => !nightAmplitudes.ContainsKey(d.Source.Key)).DistinctBy(d => d.Source.Key)];
            long started = Stopwatch.GetTimestamp();
            double?[] measured = new double?[needed.Length];
            Parallel.For(0, needed.Length, OnWorkers(), i => measured[i] = Measure(needed[i], AmplitudeSpan.First, AmplitudeSpan.Last));
            for (int i = 0; i < needed.Length; i++)
            {
                nightAmplitudes[needed[i].Source.Key] = measured[i];
            }

            amplitudeTime += Stopwatch.GetElapsedTime(started);
        }

        /// <summary>
        /// The filtered copies <paramref name="candidates"/> need and are not made yet, made side by side
        /// on the model's workers: only over the <paramref name="blocks"/> with their context (<see cref="FilteredSegments"/>).
        /// </summary>
        private void Prefilter(IEnumerable<SensingCandidate> candidates, int[][] blocks)
        {
            (long From, long To)[] ranges = RangesOf(blocks);
            (ConditionedDerivation Derivation, SensingFilter Filter)[] needed = [.. candidates.Where(c => !c.Filter.IsNone)
                .SelectMany(c => c.Slots.OfType<ConditionedDerivation>().Select(d => (Derivation: d, c.Filter)))
                .Where(p => !filtered.ContainsKey((p.Derivation.Source.Key, p.Filter)))
                .DistinctBy(p => (p.Derivation.Source.Key, p.Filter))];
            long started = Stopwatch.GetTimestamp();
            var made = new SampleStore<float>[needed.Length];
            Parallel.For(0, needed.Length, OnWorkers(), i => made[i] = FilterOver(needed[i].Derivation, needed[i].Filter, ranges));
            for (int i = 0; i < needed.Length; i++)
            {
                filtered[(needed[i].Derivation.Source.Key, needed[i].Filter)] = made[i];
            }

            filteringTime += Stopwatch.GetElapsedTime(started);
        }

        /// <summary>The quantile of the scan blocks' epoch shares of fast activity held against the limit (their quiet quarter).</summary>
        private const double ScanFastActivityQuantile = 0.25;

        /// <summary>What the views of <paramref name="blocks"/> read: each block's samples with the views' context either side.</summary>
        private static (long From, long To)[] RangesOf(int[][] blocks) =>
            [.. blocks.Select(b => (((long)b[0] * ConditionedEpoch.Samples) - TraceView.ContextSamples, ((long)(b[^1] + 1) * ConditionedEpoch.Samples) + TraceView.ContextSamples))];

        /// <summary><paramref name="derivation"/> through <paramref name="filter"/> over <paramref name="ranges"/> only (<see cref="FilteredSegments"/>), or over the whole night when the filter does not settle.</summary>
        private SampleStore<float> FilterOver(ConditionedDerivation derivation, SensingFilter filter, (long From, long To)[] ranges)
        {
            if (filter.FloorFromHz is not null)
            {
                return filter.Apply(derivation.Samples, study.Storage); // the floor is the whole night's
            }

            ZeroPhaseFilter zeroPhase = filter.Create(SignalConditioner.ModelRate);
            return (SampleStore<float>?)FilteredSegments.Over(derivation.Samples, zeroPhase, ranges) ?? study.Storage.Filtered(derivation.Samples, zeroPhase);
        }

        /// <summary>As many threads as the model has workers (what scoring itself uses).</summary>
        private ParallelOptions OnWorkers() => new() { MaxDegreeOfParallelism = Math.Max(1, owner.model.Encoders.Count), CancellationToken = cancellationToken };

        /// <summary>The night amplitude a normalisation matches (its quantile), else the profile's (the median).</summary>
        private double? Measure(ConditionedDerivation derivation, int first, int last) => owner.normalisation is { } n
            ? EpochAmplitude.NightQuantile(study, derivation, first, last, n.Quantile)
            : EpochAmplitude.NightMedian(study, derivation, first, last);

        private double? NightAmplitude(ConditionedDerivation derivation)
        {
            if (!nightAmplitudes.TryGetValue(derivation.Source.Key, out double? amplitude))
            {
                long started = Stopwatch.GetTimestamp();
                amplitude = nightAmplitudes[derivation.Source.Key] = Measure(derivation, AmplitudeSpan.First, AmplitudeSpan.Last);
                amplitudeTime += Stopwatch.GetElapsedTime(started);
            }

            return amplitude;
        }

        /// <summary>
        /// The evaluations of one step's <paramref name="candidates"/>, in order: those not tried before
        /// are encoded together (one encoder call) and added to <see cref="Evaluations"/> in order; a
        /// candidate tried before keeps its evaluation. Each candidate's objective is the same as alone.
        /// </summary>
        public IReadOnlyList<SensingEvaluation> Evaluate(string step, IReadOnlyList<SensingCandidate> candidates, int[][] blocks)
        {
            var fresh = new List<SensingCandidate>();
            foreach (SensingCandidate candidate in candidates)
            {
                if (!Evaluations.Any(e => e.Candidate.SameAs(candidate)) && !fresh.Any(f => f.SameAs(candidate)))
                {
                    fresh.Add(candidate);
                }
            }

            if (fresh.Count > 0)
            {
                Prefilter(fresh, blocks);
                float[] probabilities = Probabilities([.. fresh.Select(c => c.Signals(Filtered, owner.model.Card.Input, study.BandEdge))], blocks);
                long started = Stopwatch.GetTimestamp();
                int classes = owner.model.Sequence.Classes, rows = probabilities.Length / fresh.Count;
                for (int k = 0; k < fresh.Count; k++)
                {
                    float[] own = probabilities[(k * rows)..((k + 1) * rows)];
                    Evaluations.Add(new SensingEvaluation(step, fresh[k], Objective.Score(own, classes))
                    {
                        SampleStages = [.. Enumerable.Range(0, own.Length / classes).Select(e => StageProbabilities.ArgMax(own.AsSpan(e * classes, classes)))],
                    });
                }

                objectiveTime += Stopwatch.GetElapsedTime(started);
            }

            return [.. candidates.Select(c => Evaluations.First(e => e.Candidate.SameAs(c)))];
        }

        /// <summary>
        /// The blocks the candidates are scored on, spread evenly over the scorable epochs of the
        /// lights period (or the recording). A recording longer than <see cref="SensingOptions.ScanHours"/>
        /// without lights is first scanned with the montage as resolved, and the sample spread over
        /// the span its scan blocks read as sleep.
        /// </summary>
        public int[][] SampleBlocks()
        {
            (int first, int last) = study.AnalysedEpochs();
            Recording = (first, last);
            if (study.Lights is null && study.Duration > owner.options.ScanHours * 3600)
            {
                (first, last) = SleepSpan(first, last);
            }

            Span = (first, last);
            ScorableSpan = ScorableIn(first, last).Length;
            return Blocks(first, last, owner.options.Blocks, owner.options.BlockEpochs);
        }

        /// <summary>The scorable epochs in [<paramref name="first"/>, <paramref name="last"/>], in order.</summary>
        private int[] ScorableIn(int first, int last) => [.. Enumerable.Range(first, Math.Max(0, last - first + 1)).Where(e => study.Epochs[e].Scorable)];

        private (int First, int Last) SleepSpan(int first, int last)
        {
            int scanBlocks = 2 * owner.options.Blocks;
            int[][] scan = Blocks(first, last, scanBlocks, owner.options.BlockEpochs);
            // The scan reads the montage as scoring without sensing would, a normalising model's gains
            // measured over the whole recording (the span is what is being found).
            ConditionedDerivation?[] montage = [.. owner.slotRoles.Select(study.For)];
            var plain = new SensingCandidate(montage, [.. montage.Select((d, slot) => d is not null && owner.normalisation is { } n ? n.Gain(slot, Measure(d, first, last)) : 1f)], owner.asConditioned);

            // Broadband noise reads as wake (a noisy held-out night's scan left 3.1 h, and the sample came
            // from those hours alone): a montage with a lead above the fast-activity limit is scanned
            // low-passed at the edge. Judged on the blocks' quiet quarter, as they span the waking day, whose
            // own muscle activity lifts the median of clean recordings. The copies are the scan's own (its
            // blocks are not the sample's, so they must not enter the sample's cache), dropped here.
            (long From, long To)[] ranges = RangesOf(scan);
            var copies = new Dictionary<((int, int?) Lead, SensingFilter Filter), SampleStore<float>>();
            SampleStore<float> ScanCopy(ConditionedDerivation derivation, SensingFilter filter)
            {
                if (!copies.TryGetValue((derivation.Source.Key, filter), out SampleStore<float>? copy))
                {
                    copies[(derivation.Source.Key, filter)] = copy = FilterOver(derivation, filter, ranges);
                }

                return copy;
            }

            try
            {
                if (owner.options.FastActivityLimit is double limit && owner.options.Filters.Count > 0)
                {
                    SlotFastActivity[] fast = FastActivityOf(montage, scan, ScanCopy, (signal, lowPassed, epochs) => Analysis.Conditioning.FastActivity.QuantileShare(signal, lowPassed, epochs, ScanFastActivityQuantile));
                    if (fast.Any(f => f.Share > limit))
                    {
                        plain = plain with { Filter = EdgeLowPass };
                        ScanFastActivity = fast;
                    }
                }

                return Asleep(first, last, scan, Math.Max(1, (last - first + 1) / scanBlocks), Probabilities([plain.Signals(plain.Filter.IsNone ? Filtered : ScanCopy, owner.model.Card.Input, study.BandEdge)], scan));
            }
            finally
            {
                foreach (SampleStore<float> copy in copies.Values)
                {
                    copy.Dispose();
                }
            }
        }

        /// <summary>The span from the first to the last <paramref name="scan"/> block read as sleep, <paramref name="spacing"/> wider either side; [first, last] when none is.</summary>
        private (int First, int Last) Asleep(int first, int last, int[][] scan, int spacing, float[] probabilities)
        {
            int classes = owner.model.Sequence.Classes, at = 0;
            var asleep = new List<int[]>();
            foreach (int[] block in scan)
            {
                double wake = 0;
                for (int i = 0; i < block.Length; i++, at++)
                {
                    wake += probabilities[at * classes] / block.Length;
                }

                if (wake < 0.5)
                {
                    asleep.Add(block);
                }
            }

            if (asleep.Count == 0)
            {
                return (first, last);
            }

            // One scan spacing of margin either side, so the sample reaches sleep onset and the final awakening.
            return (Math.Max(first, asleep[0][0] - spacing), Math.Min(last, asleep[^1][^1] + spacing));
        }

        /// <summary>Up to <paramref name="count"/> blocks of up to <paramref name="length"/> scorable epochs, spread over [first, last].</summary>
        private int[][] Blocks(int first, int last, int count, int length)
        {
            int[] scorable = ScorableIn(first, last);
            if (scorable.Length <= count * length)
            {
                return scorable.Length == 0 ? [] : [.. scorable.Chunk(length)];
            }

            var blocks = new int[count][];
            for (int b = 0; b < count; b++)
            {
                int start = (int)(((b + 0.5) * scorable.Length / count) - (length / 2.0));
                blocks[b] = scorable[Math.Clamp(start, 0, scorable.Length - length)..][..length];
            }

            return blocks;
        }

        /// <summary>
        /// Stage probabilities [candidate × sample × classes] of the blocks' epochs under each of
        /// <paramref name="candidates"/>, each block staged as a short night; the blocks are staged on
        /// the model's inter-epoch sessions side by side (each block writes its own rows).
        /// </summary>
        private float[] Probabilities(IReadOnlyList<SlotSignals> candidates, int[][] blocks)
        {
            int[] epochs = [.. blocks.SelectMany(b => b)];
            int[] offsets = new int[blocks.Length];
            for (int b = 1; b < blocks.Length; b++)
            {
                offsets[b] = offsets[b - 1] + blocks[b - 1].Length;
            }

            int dim = owner.model.Encoder.EmbeddingSize, classes = owner.model.Sequence.Classes;
            int rows = candidates.Count * epochs.Length;
            byte[] embeddings = new byte[rows * dim];
            long started = Stopwatch.GetTimestamp();
            strips ??= encoder.NewStrips();
            encoder.EncodeSelected(candidates, epochs, strips, embeddings, encoderClock, cancellationToken);
            encoderTime += Stopwatch.GetElapsedTime(started);

            // Each block is a short night: every epoch's window is cut from its own block (the zero
            // embedding beyond it), exactly as staging the block alone would; the windows of every block
            // and candidate then go through the inter-epoch sessions in full batches, side by side.
            started = Stopwatch.GetTimestamp();
            IReadOnlyList<InterEpochSession> sessions = owner.model.Sequences;
            int windowBytes = sessions[0].Window * dim;
            byte[] windows = new byte[rows * windowBytes];
            for (int c = 0; c < candidates.Count; c++)
            {
                for (int b = 0; b < blocks.Length; b++)
                {
                    int at = (c * epochs.Length) + offsets[b], length = blocks[b].Length;
                    for (int i = 0; i < length; i++)
                    {
                        sessions[0].FillWindow(embeddings.AsSpan(at * dim, length * dim), length, i, windows.AsSpan((at + i) * windowBytes, windowBytes));
                    }
                }
            }

            int[] raw = new int[rows * classes];
            int workers = Math.Max(1, Math.Min(sessions.Count, rows)), share = (rows + workers - 1) / workers;
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                int first = w * share, n = Math.Min(share, rows - first);
                if (n > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    sessions[w].StageWindows(windows.AsSpan(first * windowBytes, n * windowBytes), n, raw.AsSpan(first * classes, n * classes));
                }
            });
            float[] probabilities = new float[rows * classes];
            for (int row = 0; row < rows; row++)
            {
                StageProbabilities.Normalise(raw.AsSpan(row * classes, classes)).CopyTo(probabilities.AsSpan(row * classes, classes));
            }

            sequenceTime += Stopwatch.GetElapsedTime(started);
            return probabilities;
        }

        /// <summary>The derivation filtered once per filter (made by <see cref="Prefilter"/>; over the whole night, kept where the study keeps its samples, if not).</summary>
        private SampleStore<float> Filtered(ConditionedDerivation derivation, SensingFilter filter)
        {
            if (!filtered.TryGetValue((derivation.Source.Key, filter), out SampleStore<float>? samples))
            {
                long started = Stopwatch.GetTimestamp();
                samples = filter.Apply(derivation.Samples, study.Storage);
                filtered[(derivation.Source.Key, filter)] = samples;
                filteringTime += Stopwatch.GetElapsedTime(started);
            }

            return samples;
        }
    }
}
