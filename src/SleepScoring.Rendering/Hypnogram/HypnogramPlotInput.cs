using SleepScoring.Analysis;

namespace SleepScoring.Rendering.Hypnogram;

/// <summary>What a hypnogram plot shows.</summary>
/// <param name="Stages">One stage per epoch; <see cref="SleepStage.Unscored"/> and <see cref="SleepStage.Artefact"/> are drawn as gaps.</param>
/// <param name="EpochLength">Duration of one epoch (30 s).</param>
/// <param name="Start">Clock time of the first epoch's onset.</param>
public sealed record HypnogramPlotInput(IReadOnlyList<SleepStage> Stages, TimeSpan EpochLength, DateTime Start)
{
    /// <summary>
    /// Optional hypnodensity: per epoch five probabilities in the model's class order (W, N1, N2,
    /// N3, R, as <see cref="SleepStage"/>); drawn stacked below the hypnogram. A row that is not
    /// finite or sums to zero is drawn as a gap.
    /// </summary>
    public IReadOnlyList<float[]>? Probabilities { get; init; }

    /// <summary>Optional second hypnogram (e.g. the scorer's corrections), drawn in its own panel beneath the first with the epochs that differ highlighted.</summary>
    public IReadOnlyList<SleepStage>? Corrections { get; init; }

    /// <summary>Title of the first panel.</summary>
    public string Title { get; init; } = "Hypnogram";

    /// <summary>Title of the corrections panel.</summary>
    public string CorrectionsTitle { get; init; } = "Corrected";
}
