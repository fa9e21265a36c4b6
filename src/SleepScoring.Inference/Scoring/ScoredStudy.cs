using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Inference.Explanation;

namespace SleepScoring.Inference.Scoring;

/// <summary>The recording as the scorer saw it; patient identification only when asked for.</summary>
public sealed record RecordingSummary(
    DateTime StartTime,
    double DurationSeconds,
    int Epochs,
    int ScorableEpochs,
    string FileType,
    double? LightsOffSeconds,
    double? LightsOnSeconds,
    string? PatientIdentification,
    string? RecordingIdentification);

/// <summary>A model derivation and where it came from in the study.</summary>
/// <param name="Name">The model's name of the slot or derivation, e.g. <c>EEG Fpz-Cz</c>.</param>
/// <param name="Role">What it serves (<c>FrontalEeg</c>, <c>PosteriorEeg</c>, <c>Eog</c>, <c>Emg</c>).</param>
/// <param name="Source">The recorded signal(s), e.g. <c>EEG C4-M1</c> or <c>C4 − M1</c>.</param>
/// <param name="HowFound">How the montage found the source (<c>MatchKind</c>).</param>
public sealed record DerivationUsed(string Name, string Role, string Source, string HowFound)
{
    /// <summary>Scalp region of an EEG source (<c>Frontal</c>, <c>Central</c>, <c>Posterior</c>), when known.</summary>
    public string? Region { get; init; }

    /// <summary>The gain an EEG source was drawn at (adaptive sensing), null for EOG/EMG.</summary>
    public float? Gain { get; init; }
}

/// <summary>Where the model looked for one epoch: a [derivation, segment] relevance grid and neighbour weights.</summary>
public sealed record EpochSaliency(float[,] Grid, double SegmentSeconds, float[] Neighbours);

/// <summary>One scored epoch.</summary>
/// <param name="Index">Epoch number from the recording start.</param>
/// <param name="OnsetSeconds">Start, seconds from the recording start.</param>
/// <param name="Stage">Model stage; <see cref="SleepStage.Unscored"/> when the epoch could not be scored.</param>
/// <param name="Probabilities">W, N1, N2, N3, R; null when unscored.</param>
/// <param name="Confidence">The top probability; null when unscored.</param>
/// <param name="Exclusion">Why the epoch was not scored, or null.</param>
/// <param name="Review">True when the epoch is in the review queue.</param>
/// <param name="Saliency">The explanation; null when unscored.</param>
public sealed record ScoredEpoch(
    int Index,
    double OnsetSeconds,
    SleepStage Stage,
    float[]? Probabilities,
    float? Confidence,
    string? Exclusion,
    bool Review,
    EpochSaliency? Saliency);

/// <summary>
/// The sensing of one scored study: the search's result, and the out-of-distribution check of the
/// whole night (<see cref="Sensing.DistributionCheck"/>).
/// </summary>
/// <param name="Result">What was tried and chosen.</param>
/// <param name="NightObjective">The sensing objective over the night's own sleep period, as scored.</param>
/// <param name="Threshold">The model card's limit for that value, or null when the card sets none.</param>
public sealed record StudySensing(Sensing.SensingResult Result, double? NightObjective, double? Threshold)
{
    /// <summary>
    /// True when the search chose a filter (a low-pass or the noise floor's subtraction): the study carries
    /// broadband noise the model never saw in training and was read only through a filter that also takes
    /// part of its EEG away. On the held-out
    /// site-shift nights of models 2.1.0 and 2.2.0 such nights read at about 67 % against 80 % for the
    /// others (docs/montage.md), whatever their objective.
    /// </summary>
    public bool BroadbandNoise => Result.Adaptive && (Result.Chosen.Filter.LowPassHz is not null || Result.Chosen.Filter.FloorFromHz is not null);

    /// <summary>True when the night's objective is above the card's limit: further from the training data than the card allows.</summary>
    public bool AboveLimit => NightObjective is double value && Threshold is double limit && value > limit;

    /// <summary>True when the night is above the card's limit or needed a low-pass against broadband noise: the whole study needs review.</summary>
    public bool OutOfDistribution => AboveLimit || BroadbandNoise;
}

/// <summary>Where one scoring run spent its time (wall clock), for benchmarks and the job table.</summary>
public sealed record ScoringTimings(
    TimeSpan Conditioning,
    TimeSpan Sensing,
    TimeSpan Rendering,
    TimeSpan Encoding,
    TimeSpan Saliency,
    TimeSpan Staging,
    TimeSpan Summarising)
{
    public TimeSpan Total => Conditioning + Sensing + Rendering + Encoding + Saliency + Staging + Summarising;
}

/// <summary>An explained hypnogram: everything a clinician receives for one study.</summary>
public sealed record ScoredStudy(
    string ModelName,
    string ModelVersion,
    RecordingSummary Recording,
    IReadOnlyList<DerivationUsed> Derivations,
    IReadOnlyList<string> Warnings,
    Hypnogram Hypnogram,
    SleepStatistics Statistics,
    double ReviewThreshold,
    IReadOnlyList<EpochReview> ReviewQueue,
    IReadOnlyList<ScoredEpoch> Epochs)
{
    /// <summary>The night's uint8 epoch embeddings (epochs × model dim), kept for occlusion on request; not part of the JSON.</summary>
    public byte[] Embeddings { get; init; } = [];

    /// <summary>Time per pipeline step; not part of the JSON.</summary>
    public ScoringTimings? Timings { get; init; }

    /// <summary>How the study was presented to the model (adaptive sensing), and the night's distance from the training data.</summary>
    public StudySensing? Sensing { get; init; }

    /// <summary>The model's image bands (EEG slots) by name, top to bottom: the rows of every saliency grid.</summary>
    public IReadOnlyList<string> SlotNames { get; init; } = [];
}
