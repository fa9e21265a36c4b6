namespace SleepScoring.Analysis.Signals;

/// <summary>Kaiser window design formulas (Kaiser 1974; Oppenheim &amp; Schafer §7.5.3).</summary>
public static class KaiserWindow
{
    /// <summary>β for a stopband attenuation of <paramref name="attenuationDb"/> dB.</summary>
    public static double Beta(double attenuationDb) => attenuationDb switch
    {
        > 50 => 0.1102 * (attenuationDb - 8.7),
        >= 21 => (0.5842 * Math.Pow(attenuationDb - 21, 0.4)) + (0.07886 * (attenuationDb - 21)),
        _ => 0,
    };

    /// <summary>Filter order (taps − 1) for an attenuation and a transition width in radians/sample.</summary>
    public static int Order(double attenuationDb, double transitionRadians) =>
        (int)Math.Ceiling((attenuationDb - 8) / (2.285 * transitionRadians));

    /// <summary>The window at x ∈ [−1, 1] (0 outside).</summary>
    public static double Value(double x, double beta) =>
        Math.Abs(x) > 1 ? 0 : BesselI0(beta * Math.Sqrt(1 - (x * x))) / BesselI0(beta);

    /// <summary>Modified Bessel function of the first kind, order 0, by its power series.</summary>
    public static double BesselI0(double x)
    {
        double sum = 1, term = 1, half = x / 2;
        for (int k = 1; k < 200 && term > sum * 1e-17; k++)
        {
            term *= half / k * (half / k);
            sum += term;
        }

        return sum;
    }
}
