namespace SleepScoring.Analysis.Montage;

/// <summary>
/// The model's derivations found in one study: where each comes from and how it was found, every
/// EEG derivation that could serve an EEG slot (for adaptive sensing), plus warnings (units
/// assumed, candidates refused for their sampling rate). At least one EEG slot is filled.
/// </summary>
public sealed class StudyMontage
{
    internal StudyMontage(IReadOnlyList<DerivationSource> sources, IReadOnlyList<DerivationSource> eegCandidates, IReadOnlyList<string> warnings, bool explicitEeg)
    {
        Sources = sources;
        EegCandidates = eegCandidates;
        Warnings = warnings;
        ExplicitEeg = explicitEeg;
        Frontal = For(DerivationRole.FrontalEeg);
        Posterior = For(DerivationRole.PosteriorEeg);
        if (Frontal is null && Posterior is null)
        {
            throw new ArgumentException("A montage needs at least one EEG derivation.", nameof(sources));
        }
    }

    /// <summary>Every derivation chosen, in the order of <see cref="ModelDerivations.All"/> (a missing EEG slot is absent).</summary>
    public IReadOnlyList<DerivationSource> Sources { get; }

    /// <summary>
    /// Every recorded EEG derivation that could serve an EEG slot (each signal or electrode pair
    /// once, best alias first, each with the slot it serves by default); includes the chosen ones.
    /// </summary>
    public IReadOnlyList<DerivationSource> EegCandidates { get; }

    /// <summary>Notes on choices the resolver had to make.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Whether a user's explicit mapping chose an EEG slot (then the slots are assigned as resolved, not by adaptive sensing).</summary>
    public bool ExplicitEeg { get; }

    /// <summary>The frontal EEG source, or null when the study has none.</summary>
    public DerivationSource? Frontal { get; }

    /// <summary>The posterior EEG source, or null when the study has none.</summary>
    public DerivationSource? Posterior { get; }

    /// <summary>The source serving <paramref name="role"/>, or null when the study has none.</summary>
    public DerivationSource? For(DerivationRole role) => Sources.FirstOrDefault(s => s.Derivation.Role == role);
}
