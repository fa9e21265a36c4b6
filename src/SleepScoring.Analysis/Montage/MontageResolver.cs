using System.Globalization;

namespace SleepScoring.Analysis.Montage;

/// <summary>
/// Maps a study's signals to <see cref="ModelDerivations"/>. Explicit mappings win. Then every
/// recorded EEG derivation that could serve an EEG slot is collected (<see cref="StudyMontage.EegCandidates"/>):
/// for each slot's aliases, best first, signals labelled exactly so (with or without the type word,
/// e.g. <c>Fpz-Cz</c> or <c>EEG Fpz-Cz</c>), then ones equal after <see cref="ChannelLabel.Normalize"/>,
/// then two single-electrode signals X and Y at the same rate (re-referenced X − Y). Each slot not
/// chosen explicitly takes its best candidate not already serving the other slot; one filled EEG
/// slot is enough (the model was trained with either derivation missing). EOG and EMG are found
/// the same way. Signals slower than the derivation's minimum rate are refused (with a warning);
/// a signal pair serves at most one derivation. Units become factors to µV; an unknown unit is
/// assumed µV with a warning.
/// </summary>
public static class MontageResolver
{
    private static readonly MatchKind[] MatchOrder = [MatchKind.ExactAlias, MatchKind.NormalizedAlias];

    /// <summary>Resolves the montage of <paramref name="signals"/>.</summary>
    /// <param name="signals">The study's signals (annotation signals excluded).</param>
    /// <param name="explicitMappings">Optional <c>FROM=TO</c> texts (see <see cref="ExplicitMapping"/>).</param>
    /// <exception cref="MontageException">No EEG derivation for either slot, or an explicit mapping is unusable;
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

        bool explicitEeg = chosen.Keys.Any(r => r is DerivationRole.FrontalEeg or DerivationRole.PosteriorEeg);
        IReadOnlyList<DerivationSource> candidates = EegCandidates(signals, warnings);
        foreach (Derivation slot in ModelDerivations.Eeg)
        {
            if (!chosen.ContainsKey(slot.Role)
                && candidates.FirstOrDefault(c => c.Derivation == slot && !used.Contains(c.Key)) is DerivationSource best)
            {
                chosen[slot.Role] = best;
                used.Add(best.Key);
            }
        }

        if (!chosen.ContainsKey(DerivationRole.FrontalEeg) && !chosen.ContainsKey(DerivationRole.PosteriorEeg))
        {
            throw Fail(signals, "The study has no usable EEG derivation (a frontal, central, parietal or occipital EEG).", ModelDerivations.Frontal, ModelDerivations.Posterior);
        }

        foreach (Derivation derivation in ModelDerivations.All.Where(d => !d.IsEeg && !chosen.ContainsKey(d.Role)))
        {
            if (FindByAlias(signals, derivation, used, warnings).FirstOrDefault() is DerivationSource source)
            {
                chosen[derivation.Role] = source;
                used.Add(source.Key);
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

        DerivationSource[] eeg = [.. candidates.Select(c => sources.FirstOrDefault(s => s.Derivation.IsEeg && s.Key == c.Key) ?? WithUnits(signals, c, warnings))];
        return new StudyMontage(sources, eeg, [.. warnings.Distinct(StringComparer.Ordinal)], explicitEeg);
    }

    /// <summary>Every recorded EEG derivation an EEG slot accepts, each signal (or pair) once, frontal slot's aliases first.</summary>
    private static IReadOnlyList<DerivationSource> EegCandidates(IReadOnlyList<StudySignal> signals, List<string> warnings)
    {
        var found = new List<DerivationSource>();
        var seen = new HashSet<(int, int?)>();
        foreach (Derivation slot in ModelDerivations.Eeg)
        {
            foreach (DerivationSource source in FindByAlias(signals, slot, seen, warnings))
            {
                if (seen.Add(source.Key))
                {
                    found.Add(source);
                }
            }
        }

        return found;
    }

    /// <summary>Every source of <paramref name="derivation"/> not in <paramref name="used"/>, best alias first (lazily).</summary>
    private static IEnumerable<DerivationSource> FindByAlias(IReadOnlyList<StudySignal> signals, Derivation derivation, HashSet<(int, int?)> used, List<string> warnings)
    {
        foreach (string alias in derivation.Aliases)
        {
            string normalizedAlias = ChannelLabel.Normalize(alias);
            foreach (MatchKind kind in MatchOrder)
            {
                foreach (StudySignal signal in signals)
                {
                    string label = signal.Label.Trim();
                    bool match = kind == MatchKind.ExactAlias
                        ? label == alias || label == $"{derivation.TypeWord} {alias}"
                        : ChannelLabel.Normalize(label) == normalizedAlias;
                    if (match && !used.Contains((signal.Index, null)) && FastEnough(signal, derivation, warnings))
                    {
                        yield return new DerivationSource(derivation, signal.Index, signal.Label, 1, null, null, 1, signal.SamplingRate, kind, alias);
                    }
                }
            }

            foreach (DerivationSource reReferenced in ReReference(signals, derivation, normalizedAlias, alias, used, warnings))
            {
                yield return reReferenced;
            }
        }
    }

    private static IEnumerable<DerivationSource> ReReference(IReadOnlyList<StudySignal> signals, Derivation derivation, string normalizedAlias, string alias, HashSet<(int, int?)> used, List<string> warnings)
    {
        string[] electrodes = normalizedAlias.Split('-');
        if (electrodes.Length != 2)
        {
            yield break;
        }

        foreach (StudySignal active in Singles(signals, electrodes[0]))
        {
            foreach (StudySignal reference in Singles(signals, electrodes[1]))
            {
                if (active.SamplingRate == reference.SamplingRate && !used.Contains((active.Index, reference.Index))
                    && FastEnough(active, derivation, warnings))
                {
                    yield return new DerivationSource(derivation, active.Index, active.Label, 1, reference.Index, reference.Label, 1, active.SamplingRate, MatchKind.ReReferenced, alias);
                }
            }
        }
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

    private static MontageException Fail(IReadOnlyList<StudySignal> signals, string problem, params Derivation[] derivations)
    {
        string[] found = [.. signals.Select(s => string.Create(CultureInfo.InvariantCulture, $"'{s.Label}' ({s.SamplingRate:0.###} Hz)"))];
        string[] accepted = [.. derivations.SelectMany(d => d.Aliases)];
        Derivation first = derivations[0];
        string message = $"{problem} Signals found: {(found.Length == 0 ? "none" : string.Join(", ", found))}. "
            + string.Join(" ", derivations.Select(d => $"Accepted for {d.Name}: {string.Join(", ", d.Aliases)}."))
            + $" (With or without '{first.TypeWord} ', A1/A2 for M1/M2, "
            + $"or as two single-electrode signals such as '{first.Aliases[1].Split('-')[0]}' and '{first.Aliases[1].Split('-')[^1]}'), "
            + $"sampled at {first.MinimumSamplingRate} Hz or more; or give an explicit mapping FROM={first.Name}.";
        return new MontageException(message, found, accepted);
    }
}
