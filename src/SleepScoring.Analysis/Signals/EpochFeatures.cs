namespace SleepScoring.Analysis.Signals;

/// <summary>
/// The spectral features of one channel over one epoch, as in the Sleep-EDF feature tables:
/// mean Welch PSD per EEG band (µV²/Hz), population variance (µV²) and Hjorth mobility.
/// </summary>
/// <param name="Delta">Mean PSD 0.5–4 Hz.</param>
/// <param name="Theta">Mean PSD 4–8 Hz.</param>
/// <param name="Alpha">Mean PSD 8–13 Hz.</param>
/// <param name="Beta">Mean PSD 13–30 Hz.</param>
/// <param name="Gamma">Mean PSD 30–50 Hz.</param>
/// <param name="Variance">Population variance (ddof 0).</param>
/// <param name="Mobility">sqrt(var(diff(x)) / var(x)); 0 for a flat signal.</param>
public readonly record struct EpochFeatures(
    double Delta, double Theta, double Alpha, double Beta, double Gamma, double Variance, double Mobility)
{
    /// <summary>Number of bands (<see cref="FrequencyBand.EegBands"/>).</summary>
    public const int BandCount = 5;

    /// <summary>Band mean PSD by index in <see cref="FrequencyBand.EegBands"/> order.</summary>
    public double Band(int index) => index switch
    {
        0 => Delta,
        1 => Theta,
        2 => Alpha,
        3 => Beta,
        4 => Gamma,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "Band index must be 0–4."),
    };

    /// <summary>Builds features from band means in <see cref="FrequencyBand.EegBands"/> order.</summary>
    public static EpochFeatures FromBands(ReadOnlySpan<double> bands, double variance, double mobility) =>
        bands.Length != BandCount
            ? throw new ArgumentException($"Expected {BandCount} band values, got {bands.Length}.", nameof(bands))
            : new(bands[0], bands[1], bands[2], bands[3], bands[4], variance, mobility);
}
