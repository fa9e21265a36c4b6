namespace SleepScoring.Training.Training;

/// <summary>
/// Splits subjects (never nights or epochs) into training and validation, so no subject's
/// nights leak across: the validation score then estimates performance on new people.
/// </summary>
public static class SubjectSplit
{
    /// <summary>
    /// Picks <paramref name="validationSubjects"/> distinct subjects at random (seeded) for
    /// validation; the rest train. Subjects are sorted first, so the input order does not matter.
    /// </summary>
    public static (IReadOnlyList<string> Training, IReadOnlyList<string> Validation) Split(IEnumerable<string> subjects, int validationSubjects, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        string[] distinct = subjects.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (validationSubjects < 1 || validationSubjects >= distinct.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(validationSubjects), validationSubjects, $"Need at least one subject on each side; there are {distinct.Length} subjects.");
        }

        new SeededRandom(seed).Shuffle(distinct.AsSpan());
        string[] validation = distinct[..validationSubjects].Order(StringComparer.Ordinal).ToArray();
        string[] training = distinct[validationSubjects..].Order(StringComparer.Ordinal).ToArray();
        return (training, validation);
    }
}
