using System.Globalization;

namespace SleepScoring.Analysis.Montage;

/// <summary>
/// Maps a study's signals to <see cref="ModelDerivations"/>. For each derivation, in order
/// (frontal EEG, posterior EEG, EOG, EMG): an explicit mapping wins; otherwise the aliases are
/// tried best first, and for each alias a signal labelled exactly so (with or without the type
/// word, e.g. <c>Fpz-Cz</c> or <c>EEG Fpz-Cz</c>), then one equal after
/// <see cref="ChannelLabel.Normalize"/>, then two single-electrode signals X and Y at the same rate
/// (re-referenced X − Y). Signals slower than the derivation's minimum rate are refused (with a
/// warning); a signal pair serves at most one derivation. Units become factors to µV; an unknown
/// unit is assumed µV with a warning.
/// </summary>
public static class MontageResolver
{
    /// <summary>Resolves the montage of <paramref name="signals"/>.</summary>
    /// <param name="signals">The study's signals (annotation signals excluded).</param>
    /// <param name="explicitMappings">Optional <c>FROM=TO</c> texts (see <see cref="ExplicitMapping"/>).</param>
    /// <exception cref="MontageException">A required EEG derivation cannot be found, or an explicit mapping is unusable;
    /// the message lists the labels found and the names accepted.</exception>
    public static StudyMontage Resolve(IReadOnlyList<StudySignal> signals, IEnumerable<string>? explicitMappings = null)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var warnings = new List<string>();
        var used = new HashSet<(int, int?)>();
        var chosen = new Dictionary<DerivationRole, DerivationSource>();
        foreach (ExplicitMapping mapping in (explicitMappings ?? []).Select(ExplicitMapping.Parse))
        {
            DerivationSource source = FromExplicit(signals, mapping);
            if (!chosen.TryAdd(mapping.To.Role, source))
            {
                throw Fail(signals, $"Two channel mappings name {mapping.To.Name}.", mapping.To);
            }

            used.Add((source.Signal, source.ReferenceSignal));
        }

        foreach (Derivation derivation in ModelDerivations.All)
        {
            if (chosen.ContainsKey(derivation.Role))
            {
                continue;
            }

            DerivationSource? source = FindByAlias(signals, derivation, used, warnings);
            if (source is not null)
            {
                chosen[derivation.Role] = source;
                used.Add((source.Signal, source.ReferenceSignal));
            }
            else if (derivation.Required)
            {
                throw Fail(signals, $"The study has no usable {derivation.Name} derivation (a {Describe(derivation.Role)} EEG).", derivation);
            }
        }

        var sources = new List<DerivationSource>();
        foreach (Derivation derivation in ModelDerivations.All)
        {
            if (chosen.TryGetValue(derivation.Role, out DerivationSource? source))
            {
                sources.Add(WithUnits(signals, source, warnings));
            }
        }

        return new StudyMontage(sources, warnings);
    }

    private static DerivationSource? FindByAlias(IReadOnlyList<StudySignal> signals, Derivation derivation, HashSet<(int, int?)> used, List<string> warnings)
    {
        foreach (string alias in derivation.Aliases)
        {
            string normalizedAlias = ChannelLabel.Normalize(alias);
            foreach (MatchKind kind in (ReadOnlySpan<MatchKind>)[MatchKind.ExactAlias, MatchKind.NormalizedAlias])
            {
                foreach (StudySignal signal in signals)
                {
                    string label = signal.Label.Trim();
                    bool match = kind == MatchKind.ExactAlias
                        ? label == alias || label == $"{derivation.TypeWord} {alias}"
                        : ChannelLabel.Normalize(label) == normalizedAlias;
                    if (match && !used.Contains((signal.Index, null)) && FastEnough(signal, derivation, warnings))
                    {
                        return new DerivationSource(derivation, signal.Index, signal.Label, 1, null, null, 1, signal.SamplingRate, kind, alias);
                    }
                }
            }

            if (ReReference(signals, derivation, normalizedAlias, alias, used, warnings) is DerivationSource reReferenced)
            {
                return reReferenced;
            }
        }

        return null;
    }

    private static DerivationSource? ReReference(IReadOnlyList<StudySignal> signals, Derivation derivation, string normalizedAlias, string alias, HashSet<(int, int?)> used, List<string> warnings)
    {
        string[] electrodes = normalizedAlias.Split('-');
        if (electrodes.Length != 2)
        {
            return null;
        }

        foreach (StudySignal active in Singles(signals, electrodes[0]))
        {
            foreach (StudySignal reference in Singles(signals, electrodes[1]))
            {
                if (active.SamplingRate == reference.SamplingRate && !used.Contains((active.Index, reference.Index))
                    && FastEnough(active, derivation, warnings))
                {
                    return new DerivationSource(derivation, active.Index, active.Label, 1, reference.Index, reference.Label, 1, active.SamplingRate, MatchKind.ReReferenced, alias);
                }
            }
        }

        return null;
    }

    private static IEnumerable<StudySignal> Singles(IReadOnlyList<StudySignal> signals, string electrode) =>
        signals.Where(s => ChannelLabel.Normalize(s.Label) is string n && n == electrode && ChannelLabel.IsSingleElectrode(n));

    private static DerivationSource FromExplicit(IReadOnlyList<StudySignal> signals, ExplicitMapping mapping)
    {
        string from = mapping.From;
        string normalized = ChannelLabel.Normalize(from);
        StudySignal? signal = signals.FirstOrDefault(s => s.Label.Trim() == from)
            ?? signals.FirstOrDefault(s => ChannelLabel.Normalize(s.Label) == normalized);
        DerivationSource? source = null;
        if (signal is not null)
        {
            source = new DerivationSource(mapping.To, signal.Index, signal.Label, 1, null, null, 1, signal.SamplingRate, MatchKind.Explicit, $"{from}={mapping.To.Name}");
        }
        else if (normalized.Split('-') is [string a, string b])
        {
            StudySignal? active = Singles(signals, a).FirstOrDefault();
            StudySignal? reference = Singles(signals, b).FirstOrDefault(r => r.SamplingRate == active?.SamplingRate);
            if (active is not null && reference is not null)
            {
                source = new DerivationSource(mapping.To, active.Index, active.Label, 1, reference.Index, reference.Label, 1, active.SamplingRate, MatchKind.Explicit, $"{from}={mapping.To.Name}");
            }
        }

        if (source is null)
        {
            throw Fail(signals, $"Channel mapping '{from}={mapping.To.Name}': the study has no signal '{from}' (nor two single-electrode signals to subtract at one rate).", mapping.To);
        }

        if (source.SamplingRate < mapping.To.MinimumSamplingRate)
        {
            throw Fail(signals, string.Create(CultureInfo.InvariantCulture, $"Channel mapping '{from}={mapping.To.Name}': '{source.SignalLabel}' is sampled at {source.SamplingRate:0.###} Hz, below the {mapping.To.MinimumSamplingRate} Hz a derivation needs."), mapping.To);
        }

        return source;
    }

    private static bool FastEnough(StudySignal signal, Derivation derivation, List<string> warnings)
    {
        if (signal.SamplingRate >= derivation.MinimumSamplingRate)
        {
            return true;
        }

        warnings.Add(string.Create(CultureInfo.InvariantCulture, $"'{signal.Label}' would serve {derivation.Name} but is sampled at {signal.SamplingRate:0.###} Hz (below {derivation.MinimumSamplingRate} Hz); not used."));
        return false;
    }

    private static DerivationSource WithUnits(IReadOnlyList<StudySignal> signals, DerivationSource source, List<string> warnings)
    {
        double Factor(int index)
        {
            StudySignal signal = signals.First(s => s.Index == index);
            if (PhysicalUnit.TryGetMicrovoltFactor(signal.PhysicalDimension, out double factor))
            {
                return factor;
            }

            warnings.Add($"'{signal.Label}' has the unit '{signal.PhysicalDimension.Trim()}', not a voltage we know (uV, µV, mV, V, nV); assumed µV.");
            return 1;
        }

        return source with
        {
            SignalToMicrovolts = Factor(source.Signal),
            ReferenceToMicrovolts = source.ReferenceSignal is int r ? Factor(r) : 1,
        };
    }

    private static string Describe(DerivationRole role) => role == DerivationRole.FrontalEeg ? "frontal" : "posterior (parietal, occipital or central)";

    private static MontageException Fail(IReadOnlyList<StudySignal> signals, string problem, Derivation derivation)
    {
        string[] found = [.. signals.Select(s => string.Create(CultureInfo.InvariantCulture, $"'{s.Label}' ({s.SamplingRate:0.###} Hz)"))];
        string[] accepted = [.. derivation.Aliases];
        string message = $"{problem} Signals found: {(found.Length == 0 ? "none" : string.Join(", ", found))}. "
            + $"Accepted for {derivation.Name}: {string.Join(", ", accepted)} (with or without '{derivation.TypeWord} ', A1/A2 for M1/M2, "
            + $"or as two single-electrode signals such as '{accepted[1].Split('-')[0]}' and '{accepted[1].Split('-')[^1]}'), "
            + $"sampled at {derivation.MinimumSamplingRate} Hz or more; or give an explicit mapping FROM={derivation.Name}.";
        return new MontageException(message, found, accepted);
    }
}
