namespace SleepScoring.Analysis.Montage;

/// <summary>
/// A user's <c>FROM=TO</c> choice that overrides the montage guess. FROM is a signal label of the
/// study (as written, or equal after <see cref="ChannelLabel.Normalize"/>), or <c>X-Y</c> for two
/// single-electrode signals to subtract. TO is a derivation name (<c>EEG Fpz-Cz</c>) or role
/// (<c>frontal</c>, <c>posterior</c>, <c>eog</c>, <c>emg</c>), case-insensitive.
/// </summary>
/// <param name="From">The signal label (or electrode pair) as given.</param>
/// <param name="To">The derivation it serves.</param>
public sealed record ExplicitMapping(string From, Derivation To)
{
    /// <summary>Parses <c>FROM=TO</c>.</summary>
    /// <exception cref="MontageException">No <c>=</c>, an empty side, or an unknown derivation (the message lists the accepted names).</exception>
    public static ExplicitMapping Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string[] accepted = [.. ModelDerivations.All.Select(d => d.Name), "frontal", "posterior", "eog", "emg"];
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new MontageException($"Channel mapping '{text}' is not of the form FROM=TO (e.g. 'EEG F4-M1=EEG Fpz-Cz').", [], accepted);
        }

        string from = text[..equals].Trim();
        string to = text[(equals + 1)..].Trim();
        Derivation? derivation = ModelDerivations.All.FirstOrDefault(d =>
            ChannelLabel.Normalize(d.Name) == ChannelLabel.Normalize(to)
            || to.Equals(RoleWord(d.Role), StringComparison.OrdinalIgnoreCase)
            || to.Equals(d.Role.ToString(), StringComparison.OrdinalIgnoreCase));
        return derivation is null
            ? throw new MontageException($"Channel mapping '{text}': '{to}' is not a model derivation. Accepted: {string.Join(", ", accepted)}.", [], accepted)
            : new ExplicitMapping(from, derivation);
    }

    private static string RoleWord(DerivationRole role) => role switch
    {
        DerivationRole.FrontalEeg => "frontal",
        DerivationRole.PosteriorEeg => "posterior",
        DerivationRole.Eog => "eog",
        _ => "emg",
    };
}
