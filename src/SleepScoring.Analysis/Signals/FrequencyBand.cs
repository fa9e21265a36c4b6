namespace SleepScoring.Analysis.Signals;

/// <summary>A closed frequency interval [<see cref="Low"/>, <see cref="High"/>] in Hz.</summary>
/// <param name="Name">Short name, e.g. <c>delta</c>.</param>
/// <param name="Low">Lower edge in Hz (bins with f ≥ Low are included).</param>
/// <param name="High">Upper edge in Hz (bins with f ≤ High are included).</param>
public readonly record struct FrequencyBand(string Name, double Low, double High)
{
    /// <summary>The five EEG bands of the Sleep-EDF feature tables, in column order.</summary>
    public static IReadOnlyList<FrequencyBand> EegBands { get; } =
    [
        new("delta", 0.5, 4),
        new("theta", 4, 8),
        new("alpha", 8, 13),
        new("beta", 13, 30),
        new("gamma", 30, 50),
    ];

    /// <summary>Centre frequency on a log scale (geometric mean of the edges).</summary>
    public double LogCentre => Math.Sqrt(Low * High);
}
