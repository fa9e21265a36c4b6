using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;

namespace SleepScoring.Inference.Sensing;

/// <summary>
/// The assignments of recorded EEG derivations to the model's two EEG slots (frontal-like,
/// posterior-like) that adaptive sensing tries: the montage's own (first), the two swapped, each
/// one alone (the other silent), and a central derivation in place of either when the study has
/// one it did not use. A study with one EEG derivation tries it in either slot, unless the model
/// reads a lone derivation in its own slot (<see cref="SensingOptions.KeepLoneDerivation"/>).
/// </summary>
public static class SlotAssignments
{
    /// <summary>Largest number of assignments tried (each costs one sample evaluation).</summary>
    public const int MaximumCount = 6;

    /// <summary>
    /// The assignments for <paramref name="study"/>, the montage's first; each entry holds one
    /// derivation (or null) per slot of <paramref name="slotRoles"/>. With <paramref name="keepLone"/>
    /// a lone derivation is not tried in the other slot.
    /// </summary>
    public static IReadOnlyList<ConditionedDerivation?[]> For(ConditionedStudy study, IReadOnlyList<DerivationRole> slotRoles, bool keepLone = false)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(slotRoles);
        ConditionedDerivation?[] montage = [.. slotRoles.Select(study.For)];
        var found = new List<ConditionedDerivation?[]> { montage };
        if (slotRoles.Count != 2 || study.Montage.ExplicitEeg)
        {
            return found;
        }

        (ConditionedDerivation? first, ConditionedDerivation? second) = (montage[0], montage[1]);
        ConditionedDerivation? central = study.EegCandidates.FirstOrDefault(c => c.Source.Region == ScalpRegion.Central
            && c.Source.Key != first?.Source.Key && c.Source.Key != second?.Source.Key);
        bool both = first is not null && second is not null;
        if (both || !keepLone)
        {
            Add(found, second, first);
        }

        if (both)
        {
            Add(found, first, null);
            Add(found, null, second);
        }

        if (central is not null)
        {
            Add(found, first ?? central, first is null ? null : central);
            Add(found, central, second);
        }

        return found.Count > MaximumCount ? found[..MaximumCount] : found;
    }

    /// <summary>
    /// Every pairing of the study's EEG derivations each in the slot its label belongs to (as U-Sleep
    /// pairs channel groups) among those conditioned (one per scalp region, see <c>StudyConditioner</c>):
    /// e.g. F4-M1 with O2-M1 or C4-M1; up to <see cref="MaximumCount"/>.
    /// A study with derivations for one slot only pairs each with a silent other slot.
    /// </summary>
    public static IReadOnlyList<ConditionedDerivation?[]> Natural(ConditionedStudy study, IReadOnlyList<DerivationRole> slotRoles)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(slotRoles);
        ConditionedDerivation?[][] bySlot = [.. slotRoles.Select(role =>
        {
            ConditionedDerivation[] own = [.. study.EegCandidates.Where(c => c.Source.Derivation.Role == role)];
            return own.Length == 0 ? new ConditionedDerivation?[] { null } : [.. own];
        })];
        IEnumerable<ConditionedDerivation?[]> pairs = [[]];
        foreach (ConditionedDerivation?[] options in bySlot)
        {
            pairs = [.. pairs.SelectMany(p => options.Select(o => (ConditionedDerivation?[])[.. p, o]))];
        }

        return [.. pairs.Where(p => p.Any(d => d is not null)).Take(MaximumCount)];
    }

    /// <summary>
    /// The channel groups a hypnodensity can be averaged over (U-Sleep's idea, for a model trained
    /// to read one EEG slot silent): every natural pairing (<see cref="Natural"/>) and then each of
    /// their derivations alone in its own slot, the other slot silent; e.g. Fpz-Cz with Pz-Oz,
    /// Fpz-Cz alone, Pz-Oz alone.
    /// </summary>
    public static IReadOnlyList<ConditionedDerivation?[]> Groups(ConditionedStudy study, IReadOnlyList<DerivationRole> slotRoles)
    {
        IReadOnlyList<ConditionedDerivation?[]> pairs = Natural(study, slotRoles);
        var found = new List<ConditionedDerivation?[]>(pairs);
        foreach (ConditionedDerivation?[] pair in pairs.Where(p => p.Count(d => d is not null) > 1))
        {
            for (int slot = 0; slot < pair.Length; slot++)
            {
                ConditionedDerivation?[] alone = new ConditionedDerivation?[pair.Length];
                alone[slot] = pair[slot];
                if (!found.Any(a => a.Select(d => d?.Source.Key).SequenceEqual(alone.Select(d => d?.Source.Key))))
                {
                    found.Add(alone);
                }
            }
        }

        return found;
    }

    private static void Add(List<ConditionedDerivation?[]> found, ConditionedDerivation? first, ConditionedDerivation? second)
    {
        if ((first is null && second is null) || (first is not null && first.Source.Key == second?.Source.Key))
        {
            return;
        }

        if (!found.Any(a => a[0]?.Source.Key == first?.Source.Key && a[1]?.Source.Key == second?.Source.Key))
        {
            found.Add([first, second]);
        }
    }
}
