namespace SleepScoring.Inference.Sensing;

/// <summary>One candidate tried: at which step of the search, and its objective.</summary>
/// <param name="Step">The search step: <c>assignment</c>, <c>gain</c>, <c>slot gain</c> or <c>filter</c>.</param>
/// <param name="Candidate">What was tried.</param>
/// <param name="Score">Its objective on the sample.</param>
public sealed record SensingEvaluation(string Step, SensingCandidate Candidate, SensingScore Score)
{
    /// <summary>The most probable stage of each sample epoch under this candidate (for benchmarks that know the truth); not part of the JSON.</summary>
    public IReadOnlyList<int> SampleStages { get; init; } = [];
}

/// <summary>How a study was presented to the model, and why.</summary>
/// <param name="Adaptive">Whether the candidates were searched (false: the montage as resolved, gain 1).</param>
/// <param name="Chosen">The presentation scored.</param>
/// <param name="Evaluated">Every candidate tried, in order (empty when not adaptive).</param>
/// <param name="SampleEpochs">Epochs in the sample each candidate was scored on.</param>
/// <param name="Reason">Why this presentation, in words.</param>
public sealed record SensingResult(bool Adaptive, SensingCandidate Chosen, IReadOnlyList<SensingEvaluation> Evaluated, int SampleEpochs, string Reason)
{
    /// <summary>The sample's epoch indices, in the order of <see cref="SensingEvaluation.SampleStages"/>.</summary>
    public IReadOnlyList<int> SampleEpochIndices { get; init; } = [];

    /// <summary>
    /// Whole-night copies of the chosen candidate's derivations through its filter, by derivation key, made by the
    /// search and handed to scoring (a noise-floor subtraction reads the whole night; empty otherwise); not part of the JSON.
    /// </summary>
    public IReadOnlyDictionary<(int, int?), Analysis.Signals.SampleStore<float>> WholeNightCopies { get; init; } = new Dictionary<(int, int?), Analysis.Signals.SampleStore<float>>();

    /// <summary>The amplitude estimate per slot of the montage's assignment, when it moved a gain from 1 (else null).</summary>
    public IReadOnlyList<SlotAmplitude>? Amplitude { get; init; }

    /// <summary>Whether the montage's two EEG leads' spectra agree with their labels (null when not checked: fewer than two leads, or the check off).</summary>
    public MontageCheck? MontageCheck { get; init; }

    /// <summary>
    /// The fast activity of each filled slot of the montage on the sample (<see cref="Analysis.Conditioning.FastActivity"/>),
    /// measured on a night, which decides whether the filters are searched; null when not measured (an excerpt,
    /// no search, no limit, or no filters listed).
    /// </summary>
    public IReadOnlyList<SlotFastActivity>? FastActivity { get; init; }

    /// <summary>The limit <see cref="FastActivity"/> was held against (<see cref="SensingOptions.FastActivityLimit"/>), or null.</summary>
    public double? FastActivityLimit { get; init; }

    /// <summary>Candidates the search did not try, by step, and why (empty when every step ran in full).</summary>
    public IReadOnlyList<SensingSkip> Skipped { get; init; } = [];

    /// <summary>Where the search's time went (null when nothing was searched); not part of the JSON.</summary>
    public SensingTimings? Timings { get; init; }

    /// <summary>The chosen candidate's score on the sample, or null when nothing was searched.</summary>
    public SensingScore? ChosenScore => Evaluated.LastOrDefault(e => e.Candidate.SameAs(Chosen))?.Score;
}

/// <summary>One slot's amplitude estimate (<see cref="AmplitudeProfile"/>).</summary>
/// <param name="Slot">The model's derivation name of the slot.</param>
/// <param name="Source">The recorded derivation feeding it, or null when silent.</param>
/// <param name="Night">Its median epoch amplitude over the sampled span (µV), or null.</param>
/// <param name="Trained">The slot's training amplitude (median over training nights, µV), or null without a profile.</param>
/// <param name="Gain">The gain that matches them (1 inside the training nights' range).</param>
public sealed record SlotAmplitude(string Slot, string? Source, double? Night, double? Trained, float Gain)
{
    /// <summary>E.g. <c>F4-M1 ×0.67 (night 31.2 µV, trained 20.8 µV)</c>.</summary>
    public string Describe() => System.FormattableString.Invariant($"{Source ?? "silent"} ×{Gain:0.##} (night {Night:0.0} µV, trained {Trained:0.0} µV)");
}

/// <summary>Candidates of one search step that were not tried, and why.</summary>
/// <param name="Step">The step: <c>filter</c>, <c>gain</c> or <c>assignment</c>.</param>
/// <param name="Candidates">What the step would have tried, e.g. filter names or gain factors.</param>
/// <param name="Reason">Why it did not, in words.</param>
public sealed record SensingSkip(string Step, IReadOnlyList<string> Candidates, string Reason);

/// <summary>One slot's fast activity on the sensing sample (<see cref="Analysis.Conditioning.FastActivity"/>).</summary>
/// <param name="Slot">The model's derivation name of the slot.</param>
/// <param name="Source">The recorded derivation feeding it.</param>
/// <param name="Share">The median over the sample epochs of the RMS above the edge over the RMS, or null when no epoch holds signal.</param>
public sealed record SlotFastActivity(string Slot, string Source, double? Share)
{
    /// <summary>E.g. <c>EEG Fpz-Cz 0.12</c>.</summary>
    public string Describe() => Share is double share ? System.FormattableString.Invariant($"{Source} {share:0.000}") : $"{Source} n/a";
}
