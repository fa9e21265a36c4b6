namespace SleepScoring.Analysis.Montage;

/// <summary>
/// The model's derivations found in one study: where each comes from and how it was found, plus
/// warnings (units assumed, candidates refused for their sampling rate).
/// </summary>
public sealed class StudyMontage
{
    internal StudyMontage(IReadOnlyList<DerivationSource> sources, IReadOnlyList<string> warnings)
    {
        Sources = sources;
        Warnings = warnings;
        Frontal = For(DerivationRole.FrontalEeg) ?? throw new ArgumentException("A montage needs a frontal EEG.", nameof(sources));
        Posterior = For(DerivationRole.PosteriorEeg) ?? throw new ArgumentException("A montage needs a posterior EEG.", nameof(sources));
    }

    /// <summary>Every derivation found, in the order of <see cref="ModelDerivations.All"/>.</summary>
    public IReadOnlyList<DerivationSource> Sources { get; }

    /// <summary>Notes on choices the resolver had to make.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The frontal EEG source (always present).</summary>
    public DerivationSource Frontal { get; }

    /// <summary>The posterior EEG source (always present).</summary>
    public DerivationSource Posterior { get; }

    /// <summary>The source serving <paramref name="role"/>, or null when the study has none.</summary>
    public DerivationSource? For(DerivationRole role) => Sources.FirstOrDefault(s => s.Derivation.Role == role);
}
