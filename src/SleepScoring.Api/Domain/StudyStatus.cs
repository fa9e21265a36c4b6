namespace SleepScoring.Api.Domain;

/// <summary>Where a study is in its lifecycle (stored as the text of <see cref="StudyStatusText"/> in <c>studies.status</c>).</summary>
public enum StudyStatus
{
    Queued,
    Scoring,
    Scored,
    Failed,
}

/// <summary>The stored and shown text of each <see cref="StudyStatus"/>: the database's CHECK constraint and the API's <c>status</c> use these words.</summary>
public static class StudyStatusText
{
    /// <summary>Every status text, in lifecycle order.</summary>
    public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<StudyStatus>().Select(s => s.ToText())];

    // Constants, so that the stores' SQL interpolates the one spelling instead of repeating it.
    public const string Queued = "queued";
    public const string Scoring = "scoring";
    public const string Scored = "scored";
    public const string Failed = "failed";

    public static string ToText(this StudyStatus status) => status switch
    {
        StudyStatus.Queued => Queued,
        StudyStatus.Scoring => Scoring,
        StudyStatus.Scored => Scored,
        StudyStatus.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a study status"),
    };

    /// <summary>The status of its exact stored text; false for anything else (another case, a status of a newer version).</summary>
    public static bool TryParse(string? text, out StudyStatus status)
    {
        foreach (StudyStatus s in Enum.GetValues<StudyStatus>())
        {
            if (string.Equals(s.ToText(), text, StringComparison.Ordinal))
            {
                status = s;
                return true;
            }
        }

        status = default;
        return false;
    }
}
