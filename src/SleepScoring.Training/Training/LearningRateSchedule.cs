namespace SleepScoring.Training.Training;

/// <summary>
/// One-cycle schedule: linear warm-up from <c>peak / 25</c> to the peak over the first
/// <see cref="WarmupSteps"/> steps, then cosine decay to <c>peak / 1000</c> at the last step. A
/// pure function of the step number, so resuming at step s continues the same curve.
/// </summary>
public sealed class LearningRateSchedule
{
    /// <summary>Schedule over <paramref name="totalSteps"/> with the given peak and warm-up fraction.</summary>
    public LearningRateSchedule(double peak, int totalSteps, double warmupFraction = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peak);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        if (warmupFraction is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "Must be in [0, 1).");
        }

        Peak = peak;
        TotalSteps = totalSteps;
        WarmupSteps = (int)Math.Round(totalSteps * warmupFraction);
    }

    /// <summary>Highest learning rate.</summary>
    public double Peak { get; }

    /// <summary>Steps of the whole run.</summary>
    public int TotalSteps { get; }

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; }

    /// <summary>Learning rate for step <paramref name="step"/> (0-based; clamped to the run).</summary>
    public double At(int step)
    {
        double start = Peak / 25, end = Peak / 1000;
        step = Math.Clamp(step, 0, TotalSteps - 1);
        if (step < WarmupSteps)
        {
            return start + ((Peak - start) * step / WarmupSteps);
        }

        int decaySteps = Math.Max(1, TotalSteps - 1 - WarmupSteps);
        double progress = (double)(step - WarmupSteps) / decaySteps;
        return end + ((Peak - end) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
