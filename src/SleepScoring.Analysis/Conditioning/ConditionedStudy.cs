using SleepScoring.Analysis.Montage;
using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>One derivation of a conditioned study: µV at 100 Hz on the recording's clock timeline.</summary>
/// <param name="Source">Where the samples come from (montage).</param>
/// <param name="Samples">Conditioned samples, in memory or in a file (<see cref="ConditioningStorage"/>); zero inside EDF+D gaps.</param>
public sealed record ConditionedDerivation(DerivationSource Source, SampleStore<float> Samples)
{
    /// <summary>The model's name of the derivation, e.g. <c>EEG Fpz-Cz</c>.</summary>
    public string Name => Source.Derivation.Name;
}

/// <summary>A study ready for rendering: conditioned derivations, the epoch table and what to tell the technician.</summary>
/// <param name="Duration">Seconds from the recording start to the end of the last data record.</param>
/// <param name="Montage">The montage used.</param>
/// <param name="Derivations">Conditioned derivations in montage order.</param>
/// <param name="Epochs">Every 30-s epoch with its scorable flag and reason.</param>
/// <param name="Lights">The analysed period, when known.</param>
/// <param name="Warnings">Flat or clipped signals, short recording, gaps, montage notes.</param>
public sealed record ConditionedStudy(
    double Duration,
    StudyMontage Montage,
    IReadOnlyList<ConditionedDerivation> Derivations,
    IReadOnlyList<ConditionedEpoch> Epochs,
    LightsPeriod? Lights,
    IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// Every EEG derivation conditioned, each with the slot it serves by default, in the order of the
    /// montage's <see cref="StudyMontage.EegCandidates"/>: the chosen EEG derivations, plus one per
    /// scalp region they do not cover when the conditioner was asked for candidates. Samples are shared with <see cref="Derivations"/>.
    /// </summary>
    public IReadOnlyList<ConditionedDerivation> EegCandidates { get; init; } = [];

    /// <summary>
    /// Where the study's samples live (memory, or files for a long night): copies made from them
    /// for scoring (e.g. a sensing filter's) go there too, so they are as bounded as the study.
    /// </summary>
    public ConditioningStorage Storage { get; init; } = ConditioningStorage.Memory;

    /// <summary>
    /// Set when the study is read as a narrow-band recording (Hz): conditioned up to this edge, and
    /// the model's views above it drawn silent (a model card's <c>input.narrow_band</c>); null: the full band.
    /// </summary>
    public double? BandEdge { get; init; }

    /// <summary>
    /// The epochs of the analysed period: those of the lights period when the study has one, else
    /// every epoch of the recording (first and last index, inclusive).
    /// </summary>
    public (int First, int Last) AnalysedEpochs()
    {
        int first = 0, last = Epochs.Count - 1;
        if (Lights is LightsPeriod lights)
        {
            first = Math.Max(0, (int)(lights.Off / ConditionedEpoch.Length));
            last = Math.Min(last, (int)Math.Ceiling(lights.On / ConditionedEpoch.Length) - 1);
        }

        return (first, last);
    }

    /// <summary>Number of epochs that can be scored.</summary>
    public int ScorableEpochs => Epochs.Count(e => e.Scorable);

    /// <summary>The derivation serving <paramref name="role"/>, or null.</summary>
    public ConditionedDerivation? For(DerivationRole role) => Derivations.FirstOrDefault(d => d.Source.Derivation.Role == role);
}
