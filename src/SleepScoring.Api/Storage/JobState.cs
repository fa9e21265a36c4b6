namespace SleepScoring.Api.Storage;

/// <summary>Where a scoring job is (stored as the text of <see cref="JobStateText"/> in <c>jobs.status</c>).</summary>
public enum JobState
{
    Queued,
    Running,
    Done,
    Failed,
}

/// <summary>The stored text of each <see cref="JobState"/>: the words of the <c>jobs.status</c> CHECK constraint.</summary>
public static class JobStateText
{
    // Constants, so that the stores' SQL interpolates the one spelling instead of repeating it.
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";

    /// <summary>Every state text, in lifecycle order.</summary>
    public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<JobState>().Select(s => s.ToText())];

    public static string ToText(this JobState state) => state switch
    {
        JobState.Queued => Queued,
        JobState.Running => Running,
        JobState.Done => Done,
        JobState.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a job state"),
    };
}
