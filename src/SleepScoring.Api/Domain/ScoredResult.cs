using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Domain;

/// <summary>
/// One scored epoch: the model's stage, the scorer's (when reviewed), the model's probabilities
/// (W, N1, N2, N3, R; zeros for an unscored epoch), its saliency grid (derivation × segment; null
/// when the result has none) and <see cref="Detail"/>, the epoch object of the scored-study contract
/// as the model wrote it.
/// </summary>
public sealed record EpochResult(int Index, SleepStage ModelStage, SleepStage? ScorerStage, IReadOnlyList<float> Probabilities, float[,]? Saliency, string Detail)
{
    /// <summary>The stage in force: the scorer's where present, else the model's.</summary>
    public SleepStage FinalStage => ScorerStage ?? ModelStage;

    public bool Reviewed => ScorerStage is not null;

    /// <summary>Reviewed with a stage unlike the model's.</summary>
    public bool Corrected => ScorerStage is SleepStage s && s != ModelStage;

    /// <summary>The contract's name of a stage (W, N1, N2, N3, R, unscored, artefact).</summary>
    public static string Name(SleepStage stage) => ScoredStudyJson.StageName(stage);
}

/// <summary>
/// A scored study as the read endpoints need it: the study, its epochs with model and scorer
/// stages, the hypnogram of the final stages (with the model's probabilities) and statistics
/// recomputed from it.
/// </summary>
public sealed class ScoredResult
{
    private static readonly DateTimeOffset UnknownStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public ScoredResult(Study study, IReadOnlyList<EpochResult> epochs)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(epochs);
        Study = study;
        Epochs = epochs;
        Start = StartOf(study);
        ModelStages = [.. epochs.Select(e => e.ModelStage)];
        FinalStages = [.. epochs.Select(e => e.FinalStage)];
        Probabilities = [.. epochs.Select(e => e.Probabilities.ToArray())];
    }

    public Study Study { get; }

    /// <summary>In epoch order, index = position.</summary>
    public IReadOnlyList<EpochResult> Epochs { get; }

    public DateTime Start { get; }

    public IReadOnlyList<SleepStage> ModelStages { get; }

    public IReadOnlyList<SleepStage> FinalStages { get; }

    /// <summary>Per epoch W, N1, N2, N3, R; zeros for unscored epochs.</summary>
    public IReadOnlyList<float[]> Probabilities { get; }

    public bool HasCorrections => Epochs.Any(e => e.Reviewed);

    /// <summary>The final stages as a hypnogram with the model's probabilities.</summary>
    public Hypnogram FinalHypnogram() => new(FinalStages, Hypnogram.StandardEpochSeconds, Start, Probabilities);

    /// <summary>Statistics of the final stages within the study's lights period.</summary>
    public SleepStatistics Statistics() => SleepStatisticsCalculator.Compute(FinalHypnogram(), Study.AnalysedLightsOff, Study.AnalysedLightsOn);

    /// <summary>Clock time of epoch 0 (the EDF start, kept as UTC; 2000-01-01 when unknown).</summary>
    public static DateTime StartOf(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return (study.StartTime ?? UnknownStart).UtcDateTime;
    }
}
