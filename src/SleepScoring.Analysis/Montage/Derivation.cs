namespace SleepScoring.Analysis.Montage;

/// <summary>What a derivation is for in the model's input.</summary>
public enum DerivationRole
{
    /// <summary>The frontal EEG slot (Sleep-EDF <c>EEG Fpz-Cz</c>); a study needs this or the posterior one.</summary>
    FrontalEeg,

    /// <summary>The posterior EEG slot (Sleep-EDF <c>EEG Pz-Oz</c>); a study needs this or the frontal one.</summary>
    PosteriorEeg,

    /// <summary>The horizontal EOG; optional.</summary>
    Eog,

    /// <summary>The chin EMG; optional.</summary>
    Emg,
}

/// <summary>Where on the scalp an EEG derivation's active electrode sits (what it sees best).</summary>
public enum ScalpRegion
{
    /// <summary>Frontal or frontopolar (F, Fp, Fz): slow waves and K-complexes are largest here.</summary>
    Frontal,

    /// <summary>Central (C, Cz): spindles and vertex waves.</summary>
    Central,

    /// <summary>Parietal or occipital (P, O): alpha.</summary>
    Posterior,
}

/// <summary>
/// A derivation the model reads: its name (the Sleep-EDF label our training data uses), its role,
/// and the labels accepted for it, best first. An alias <c>X-Y</c> can also be built from two
/// single-electrode signals X and Y (re-referencing).
/// </summary>
/// <param name="Name">The model's name for it, e.g. <c>EEG Fpz-Cz</c>.</param>
/// <param name="Role">What it is for.</param>
/// <param name="Aliases">Accepted labels in priority order (the first one that a study has wins).</param>
/// <param name="Required">Whether a study without it is rejected (the two EEG slots are not: a study needs one of them).</param>
/// <param name="MinimumSamplingRate">Signals sampled slower (Hz) cannot serve (e.g. Sleep-EDF's 1-Hz EMG envelope).</param>
public sealed record Derivation(string Name, DerivationRole Role, IReadOnlyList<string> Aliases, bool Required, double MinimumSamplingRate)
{
    /// <summary>The type word EDF labels put before the electrodes (<c>EEG</c>, <c>EOG</c>, <c>EMG</c>).</summary>
    public string TypeWord => Role switch
    {
        DerivationRole.Eog => "EOG",
        DerivationRole.Emg => "EMG",
        _ => "EEG",
    };

    /// <summary>Whether this is one of the model's EEG slots.</summary>
    public bool IsEeg => Role is DerivationRole.FrontalEeg or DerivationRole.PosteriorEeg;
}

/// <summary>The derivations of the shipped model, and their accepted aliases.</summary>
public static class ModelDerivations
{
    /// <summary>Slowest sampling rate we accept for EEG/EOG/EMG: below it the 0.5–30 Hz content is gone.</summary>
    public const double MinimumSamplingRate = 50;

    /// <summary>
    /// Frontal EEG slot. Sleep-EDF's Fpz-Cz first, then AASM's frontal F4-M1 and its back-up F3-M2, then
    /// other frontal/frontopolar derivations against Cz or the mastoids.
    /// </summary>
    public static Derivation Frontal { get; } = new(
        "EEG Fpz-Cz",
        DerivationRole.FrontalEeg,
        ["Fpz-Cz", "F4-M1", "F3-M2", "Fz-Cz", "Fp2-M1", "Fp1-M2", "Fpz-M1", "Fpz-M2", "Fz-M1", "Fz-M2", "Fp2-Cz", "Fp1-Cz", "F4-M2", "F3-M1"],
        Required: false,
        MinimumSamplingRate);

    /// <summary>
    /// Posterior EEG slot. Sleep-EDF's Pz-Oz first, then AASM's occipital O2-M1/O1-M2, then the central
    /// C4-M1/C3-M2 (the AASM recommended central pair), then other parietal/occipital and central derivations.
    /// </summary>
    public static Derivation Posterior { get; } = new(
        "EEG Pz-Oz",
        DerivationRole.PosteriorEeg,
        ["Pz-Oz", "O2-M1", "O1-M2", "C4-M1", "C3-M2", "Cz-Oz", "Pz-M1", "Pz-M2", "O2-M2", "O1-M1", "C4-M2", "C3-M1", "P4-M1", "P3-M2", "Oz-M1", "Oz-M2", "Cz-M1", "Cz-M2"],
        Required: false,
        MinimumSamplingRate);

    /// <summary>The two EEG slots, in image band order.</summary>
    public static IReadOnlyList<Derivation> Eeg { get; } = [Frontal, Posterior];

    /// <summary>
    /// The scalp region of an accepted EEG alias (or any <c>X-Y</c> label normalised by
    /// <see cref="ChannelLabel.Normalize"/>): by its first (active) electrode — Fp/AF/F frontal,
    /// C/FC/CP/T central, P/PO/O posterior; null when the label names no such electrode.
    /// </summary>
    public static ScalpRegion? RegionOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        string active = ChannelLabel.Normalize(label).Split('-')[0];
        if (active.Length < 2 || !(char.IsAsciiDigit(active[^1]) || active[^1] == 'Z'))
        {
            return null;
        }

        string letters = active.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'Z');
        return letters switch
        {
            "FP" or "AF" or "F" => ScalpRegion.Frontal,
            "C" or "FC" or "CP" or "T" => ScalpRegion.Central,
            "P" or "PO" or "O" => ScalpRegion.Posterior,
            _ => null,
        };
    }

    /// <summary>Horizontal EOG: Sleep-EDF's label, AASM E1-M2/E2-M1, and the older LOC/ROC names.</summary>
    public static Derivation Eog { get; } = new(
        "EOG horizontal",
        DerivationRole.Eog,
        ["EOG horizontal", "E1-M2", "E2-M1", "LOC-M2", "ROC-M1", "E1-M1", "E2-M2", "LOC-M1", "ROC-M2", "E1-E2", "LOC-ROC"],
        Required: false,
        MinimumSamplingRate);

    /// <summary>Chin EMG: Sleep-EDF's label, common clinical labels, and chin electrode pairs.</summary>
    public static Derivation Emg { get; } = new(
        "EMG submental",
        DerivationRole.Emg,
        ["EMG submental", "EMG chin", "Chin EMG", "Chin1-Chin2", "Chin2-Chin1", "Chin1-Chin3", "Chin2-Chin3", "EMG1-EMG2", "Chin", "EMG"],
        Required: false,
        MinimumSamplingRate);

    /// <summary>All four, in the order they are resolved (the EEG first, so they get first pick).</summary>
    public static IReadOnlyList<Derivation> All { get; } = [Frontal, Posterior, Eog, Emg];
}
