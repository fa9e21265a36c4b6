namespace SleepScoring.Analysis.Conditioning;

/// <summary>Why an epoch cannot be scored (<see cref="None"/>: it can).</summary>
public enum EpochExclusion
{
    /// <summary>Scorable.</summary>
    None = 0,

    /// <summary>Part of the epoch falls in an EDF+D gap: its samples are not contiguous.</summary>
    CrossesGap,

    /// <summary>The whole epoch falls in an EDF+D gap: there is no signal.</summary>
    InGap,

    /// <summary>Before lights-off or after lights-on.</summary>
    OutsideLightsPeriod,

    /// <summary>Every EEG derivation is flat (below 0.5 µV RMS) over the epoch: electrode off or amplifier saturated.</summary>
    FlatSignal,
}
