using System.Globalization;

namespace SleepScoring.Analysis.Montage;

/// <summary>How a derivation's source was chosen.</summary>
public enum MatchKind
{
    /// <summary>The user's explicit <c>FROM=TO</c> mapping.</summary>
    Explicit,

    /// <summary>The signal's label is an accepted alias as written (e.g. <c>EEG Fpz-Cz</c>).</summary>
    ExactAlias,

    /// <summary>The label matches an alias after <see cref="ChannelLabel.Normalize"/> (e.g. <c>EEG C3-A2</c> → C3-M2).</summary>
    NormalizedAlias,

    /// <summary>Built as the difference of two single-electrode signals (e.g. C4 and M1 → C4-M1).</summary>
    ReReferenced,
}

/// <summary>
/// Where a derivation's samples come from: signal <see cref="Signal"/>, minus signal
/// <see cref="ReferenceSignal"/> when re-referenced, each multiplied by its factor to µV.
/// The two signals of a re-referenced derivation have the same sampling rate.
/// </summary>
/// <param name="Derivation">The model derivation served.</param>
/// <param name="Signal">Index of the (active) signal in the study.</param>
/// <param name="SignalLabel">Its label as found.</param>
/// <param name="SignalToMicrovolts">Factor from its physical unit to µV.</param>
/// <param name="ReferenceSignal">Index of the signal to subtract, when re-referenced.</param>
/// <param name="ReferenceLabel">Its label as found.</param>
/// <param name="ReferenceToMicrovolts">Factor from the reference signal's unit to µV (1 when there is none).</param>
/// <param name="SamplingRate">Samples per second of the source.</param>
/// <param name="How">How the source was found.</param>
/// <param name="MatchedAlias">The alias (or the explicit mapping) that matched.</param>
public sealed record DerivationSource(
    Derivation Derivation,
    int Signal,
    string SignalLabel,
    double SignalToMicrovolts,
    int? ReferenceSignal,
    string? ReferenceLabel,
    double ReferenceToMicrovolts,
    double SamplingRate,
    MatchKind How,
    string MatchedAlias)
{
    /// <summary>The scalp region of an EEG source (from the alias or label that matched); null for EOG/EMG or an unknown label.</summary>
    public ScalpRegion? Region => Derivation.IsEeg
        ? ModelDerivations.RegionOf(How == MatchKind.Explicit ? (ReferenceLabel is null ? SignalLabel : $"{SignalLabel}-{ReferenceLabel}") : MatchedAlias)
        : null;

    /// <summary>The signal (and reference) it reads: two sources with the same key carry the same samples.</summary>
    public (int Signal, int? Reference) Key => (Signal, ReferenceSignal);

    /// <summary>The recorded derivation as a label, e.g. <c>EEG C4-M1</c> or <c>C4 − M1</c> when re-referenced.</summary>
    public string SourceLabel => ReferenceLabel is null ? SignalLabel : $"{SignalLabel} − {ReferenceLabel}";

    /// <summary>A one-line account, e.g. <c>EEG Pz-Oz ← 'C4' − 'M1' (re-referenced as C4-M1, 256 Hz)</c>.</summary>
    public override string ToString()
    {
        string source = ReferenceLabel is null ? $"'{SignalLabel}'" : $"'{SignalLabel}' − '{ReferenceLabel}'";
        string how = How switch
        {
            MatchKind.Explicit => $"explicit mapping {MatchedAlias}",
            MatchKind.ExactAlias => $"exact alias {MatchedAlias}",
            MatchKind.NormalizedAlias => $"normalised alias {MatchedAlias}",
            _ => $"re-referenced as {MatchedAlias}",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{Derivation.Name} ← {source} ({how}, {SamplingRate:0.###} Hz)");
    }
}
