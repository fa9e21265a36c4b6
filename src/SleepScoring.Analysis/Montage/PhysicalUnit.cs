namespace SleepScoring.Analysis.Montage;

/// <summary>Voltage units of EDF signals and their factor to microvolts.</summary>
public static class PhysicalUnit
{
    /// <summary>
    /// The factor that turns a value in <paramref name="dimension"/> into µV: <c>uV</c>/<c>µV</c>/<c>μV</c> 1,
    /// <c>mV</c> 1000, <c>V</c> 1 000 000, <c>nV</c> 0.001 (surrounding spaces ignored; <c>uv</c> accepted).
    /// False for anything else, including an empty dimension.
    /// </summary>
    public static bool TryGetMicrovoltFactor(string? dimension, out double factor)
    {
        factor = dimension?.Trim() switch
        {
            "uV" or "uv" or "UV" or "\u00B5V" or "\u03BCV" or "microV" or "microvolt" => 1,
            "mV" or "mv" => 1e3,
            "V" or "v" => 1e6,
            "nV" or "nv" => 1e-3,
            _ => double.NaN,
        };
        return !double.IsNaN(factor);
    }
}
