namespace SleepScoring.Analysis.Conditioning;

/// <summary>One 30-s epoch of a conditioned study.</summary>
/// <param name="Index">Epoch number from the recording start.</param>
/// <param name="Onset">Start in seconds from the recording start (Index × 30).</param>
/// <param name="Exclusion">Why it cannot be scored, or <see cref="EpochExclusion.None"/>.</param>
public readonly record struct ConditionedEpoch(int Index, double Onset, EpochExclusion Exclusion)
{
    /// <summary>Epoch length in seconds (the scoring standard's 30 s).</summary>
    public const double Length = Staging.Hypnogram.StandardEpochSeconds;

    /// <summary>
    /// Samples of one derivation in one epoch at the model rate (30 s × 100 Hz): the unit every
    /// conditioned signal, model image, scorer and training loader cuts an epoch into.
    /// </summary>
    public const int Samples = (int)(Length * SignalConditioner.ModelRate);

    /// <summary>True when the epoch can be scored.</summary>
    public bool Scorable => Exclusion == EpochExclusion.None;
}
