namespace SleepScoring.Inference.Sensing;

/// <summary>
/// Stage shares of real nights, for the sensing objective's guard against degenerate answers.
/// </summary>
public static class StagePrior
{
    /// <summary>
    /// W, N1, N2, N3, R as shares of the sleep period (sleep onset to the last sleep epoch), the
    /// mean over the 37 real scored nights in the developers' <c>../shared/data</c> (16 Sleep-EDF
    /// cassette nights, 18 MIT-BIH polysomnography records, HMC SN001, two YASA nights);
    /// <c>StagePriorTests</c> recomputes it from those files.
    /// </summary>
    public static IReadOnlyList<double> SleepPeriod { get; } = [0.172, 0.136, 0.444, 0.120, 0.128];
}
