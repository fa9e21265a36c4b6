namespace SleepScoring.Analysis.Signals;

/// <summary>
/// One second-order IIR section, normalised so a0 = 1:
/// y[n] = b0·x[n] + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2].
/// Designs follow the RBJ Audio-EQ cookbook (bilinear transform, frequency pre-warped), so the
/// −3 dB point of a low/high-pass with Q = 1/√2 falls exactly on the requested frequency.
/// </summary>
public readonly record struct Biquad(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>Q of a second-order Butterworth section, 1/√2.</summary>
    public const double ButterworthQ = 0.70710678118654752;

    /// <summary>Second-order low-pass at <paramref name="cutoff"/> Hz.</summary>
    public static Biquad LowPass(double samplingRate, double cutoff, double q = ButterworthQ)
    {
        (double cos, double alpha) = Prewarp(samplingRate, cutoff, q);
        double b = (1 - cos) / 2;
        return Normalise(b, 2 * b, b, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /// <summary>Second-order high-pass at <paramref name="cutoff"/> Hz.</summary>
    public static Biquad HighPass(double samplingRate, double cutoff, double q = ButterworthQ)
    {
        (double cos, double alpha) = Prewarp(samplingRate, cutoff, q);
        double b = (1 + cos) / 2;
        return Normalise(b, -2 * b, b, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /// <summary>Notch (band-stop) at <paramref name="centre"/> Hz; −3 dB width = centre / q.</summary>
    public static Biquad Notch(double samplingRate, double centre, double q = 30)
    {
        (double cos, double alpha) = Prewarp(samplingRate, centre, q);
        return Normalise(1, -2 * cos, 1, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /// <summary>|H(e^{iω})| at <paramref name="frequency"/> Hz.</summary>
    public double Magnitude(double samplingRate, double frequency)
    {
        double w = 2 * Math.PI * frequency / samplingRate;
        System.Numerics.Complex z1 = System.Numerics.Complex.FromPolarCoordinates(1, -w);
        System.Numerics.Complex z2 = z1 * z1;
        return ((B0 + (B1 * z1) + (B2 * z2)) / (1 + (A1 * z1) + (A2 * z2))).Magnitude;
    }

    /// <summary>Steady-state gain for a constant input, (b0+b1+b2)/(1+a1+a2).</summary>
    public double DcGain => (B0 + B1 + B2) / (1 + A1 + A2);

    private static (double Cos, double Alpha) Prewarp(double samplingRate, double frequency, double q)
    {
        if (!(frequency > 0 && frequency < samplingRate / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(frequency), frequency, $"Filter frequency must lie between 0 and {samplingRate / 2} Hz (Nyquist).");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(q);
        double w0 = 2 * Math.PI * frequency / samplingRate;
        return (Math.Cos(w0), Math.Sin(w0) / (2 * q));
    }

    private static Biquad Normalise(double b0, double b1, double b2, double a0, double a1, double a2) =>
        new(b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0);

    /// <summary>
    /// Runs the section once, forward and causally (transposed direct form II, zero initial
    /// state), in place: the phase-shifting response of an analogue filter, unlike <see cref="ZeroPhaseFilter"/>.
    /// </summary>
    public void Run(Span<double> signal)
    {
        double z1 = 0, z2 = 0;
        for (int i = 0; i < signal.Length; i++)
        {
            double x = signal[i], y = (B0 * x) + z1;
            z1 = (B1 * x) - (A1 * y) + z2;
            z2 = (B2 * x) - (A2 * y);
            signal[i] = y;
        }
    }
}
