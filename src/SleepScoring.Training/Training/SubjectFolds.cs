namespace SleepScoring.Training.Training;

/// <summary>
/// k-fold cross-validation by subject: subjects are sorted and cut into k contiguous blocks
/// (sizes differ by at most one), so with 8 Sleep-EDF subjects and k = 4 the folds are
/// {00, 01}, {02, 03}, {04, 05}, {06, 07} — the folds of the feature baseline
/// (<c>FeatureBaselineOptions.Folds</c>), so image model and baseline are compared on the same
/// subjects. No subject's nights are on both sides of a fold.
/// </summary>
public static class SubjectFolds
{
    /// <summary>The test subjects of each of the <paramref name="folds"/> folds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 folds, or more folds than subjects.</exception>
    public static IReadOnlyList<IReadOnlyList<string>> Assign(IEnumerable<string> subjects, int folds)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        string[] sorted = [.. subjects.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (folds < 2 || folds > sorted.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"Cross-validation needs 2 to {sorted.Length} folds for {sorted.Length} subject(s).");
        }

        return [.. Enumerable.Range(0, folds).Select(j => (IReadOnlyList<string>)[.. sorted.Where((_, i) => i * folds / sorted.Length == j)])];
    }
}
