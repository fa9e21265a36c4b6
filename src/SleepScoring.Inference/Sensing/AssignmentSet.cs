namespace SleepScoring.Inference.Sensing;

/// <summary>Which slot assignments of a study to list (<see cref="SlotAssignments"/>).</summary>
public enum AssignmentSet
{
    /// <summary>Those adaptive sensing tries, the montage's own first.</summary>
    Sensing,

    /// <summary>Every pairing of derivations in their own slots.</summary>
    Natural,

    /// <summary>The natural pairings and each of their derivations alone (channel groups).</summary>
    Groups,
}
