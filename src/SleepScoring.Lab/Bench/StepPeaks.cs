using SleepScoring.Inference.Scoring;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// Peak resident memory per scoring step: on every change of <see cref="ScoringProgress.Stage"/>
/// it records the peak of the step that ended and starts a new peak (<see cref="ProcessMemory"/>).
/// Reports arrive synchronously on the scoring thread, so the steps do not overlap.
/// </summary>
internal sealed class StepPeaks : IProgress<ScoringProgress>
{
    private readonly List<(string Stage, long Peak)> steps = [];
    private string? current;

    /// <summary>Each finished step with its peak resident bytes, in order.</summary>
    public IReadOnlyList<(string Stage, long Peak)> Steps => steps;

    /// <summary>The largest peak of any step.</summary>
    public long Peak => steps.Count == 0 ? 0 : steps.Max(s => s.Peak);

    /// <summary>Records the peak of the last step (call when scoring has returned).</summary>
    public void Finish()
    {
        if (current is not null)
        {
            steps.Add((current, ProcessMemory.Peak));
            current = null;
        }
    }

    public void Report(ScoringProgress value)
    {
        if (value.Stage == current)
        {
            return;
        }

        if (current is not null)
        {
            steps.Add((current, ProcessMemory.Peak));
        }

        current = value.Stage;
        ProcessMemory.ResetPeak();
    }
}
