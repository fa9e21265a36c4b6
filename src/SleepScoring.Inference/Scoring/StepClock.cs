using System.Diagnostics;

namespace SleepScoring.Inference.Scoring;

/// <summary>Accumulates wall-clock time per pipeline step (one clock per worker thread).</summary>
internal sealed class StepClock
{
    public TimeSpan Rendering;
    public TimeSpan Encoding;
    public TimeSpan Saliency;
    public TimeSpan Staging;
    public TimeSpan Summarising;
    private long started;

    public void Start() => started = Stopwatch.GetTimestamp();

    public void Stop(ref TimeSpan step) => step += Stopwatch.GetElapsedTime(started);

    /// <summary>
    /// Adds the mean of the workers' render, encode and saliency times: the workers ran side by side,
    /// so the mean is the wall-clock share of each step and the steps still add up to the total.
    /// </summary>
    public void AddMeanOf(IReadOnlyCollection<StepClock> workers)
    {
        int n = Math.Max(1, workers.Count);
        Rendering += workers.Aggregate(TimeSpan.Zero, (sum, w) => sum + w.Rendering) / n;
        Encoding += workers.Aggregate(TimeSpan.Zero, (sum, w) => sum + w.Encoding) / n;
        Saliency += workers.Aggregate(TimeSpan.Zero, (sum, w) => sum + w.Saliency) / n;
    }
}
