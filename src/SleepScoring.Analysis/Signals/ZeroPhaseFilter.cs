namespace SleepScoring.Analysis.Signals;

/// <summary>
/// A cascade of biquads applied forward and backward (zero phase, squared magnitude), with the
/// edge handling of scipy.signal.sosfiltfilt: odd extension by 3·(2·sections + 1) samples and
/// each pass started from the steady state of its first input sample (sosfilt_zi), so a DC offset
/// or slow drift does not ring at the ends. State is double precision: a 0.3 Hz pole at 100 Hz
/// sits too close to the unit circle for float.
/// </summary>
public sealed class ZeroPhaseFilter
{
    private readonly Biquad[] _sections;

    /// <summary>Creates a filter from its sections (applied in order).</summary>
    public ZeroPhaseFilter(IEnumerable<Biquad> sections)
    {
        _sections = [.. sections];
        if (_sections.Length == 0)
        {
            throw new ArgumentException("A filter needs at least one section.", nameof(sections));
        }
    }

    /// <summary>
    /// EEG band-pass: Butterworth high-pass (order 2) and low-pass (order 4), applied forward and
    /// backward, so the edges are −6 dB points and the slopes double.
    /// </summary>
    public static ZeroPhaseFilter BandPass(double samplingRate, double low = 0.3, double high = 35) =>
        new([
            Biquad.HighPass(samplingRate, low),
            Biquad.LowPass(samplingRate, high, 1.3065629648763766), // 1 / (2 sin(π/8)): 4th-order Butterworth
            Biquad.LowPass(samplingRate, high, 0.5411961001461971), // 1 / (2 sin(3π/8))
        ]);

    /// <summary>Mains notch at <paramref name="mains"/> Hz (50 or 60).</summary>
    public static ZeroPhaseFilter Notch(double samplingRate, double mains, double q = 30) =>
        new([Biquad.Notch(samplingRate, mains, q)]);

    /// <summary>The sections, in order.</summary>
    public IReadOnlyList<Biquad> Sections => _sections;

    /// <summary>Magnitude of the forward-backward response (the square of one pass).</summary>
    public double Magnitude(double samplingRate, double frequency)
    {
        double m = 1;
        foreach (Biquad s in _sections)
        {
            m *= s.Magnitude(samplingRate, frequency);
        }

        return m * m;
    }

    /// <summary>Filters <paramref name="signal"/> in place.</summary>
    public void Apply(Span<float> signal)
    {
        int n = signal.Length;
        if (n == 0)
        {
            return;
        }

        int pad = Math.Min(3 * ((2 * _sections.Length) + 1), n - 1);
        double[] work = new double[n + (2 * pad)];
        double first = signal[0], last = signal[n - 1];
        for (int i = 0; i < pad; i++)
        {
            work[pad - 1 - i] = (2 * first) - signal[i + 1];
            work[pad + n + i] = (2 * last) - signal[n - 2 - i];
        }

        for (int i = 0; i < n; i++)
        {
            work[pad + i] = signal[i];
        }

        Run(work, forward: true);
        Run(work, forward: false);
        for (int i = 0; i < n; i++)
        {
            signal[i] = (float)work[pad + i];
        }
    }

    private void Run(double[] x, bool forward)
    {
        int n = x.Length;
        double level = forward ? x[0] : x[n - 1];
        foreach (Biquad s in _sections)
        {
            // Transposed direct form II started at the steady state for a constant input `level`.
            double gain = s.DcGain * level;
            double z2 = (s.B2 * level) - (s.A2 * gain);
            double z1 = (s.B1 * level) - (s.A1 * gain) + z2;
            for (int k = 0; k < n; k++)
            {
                int i = forward ? k : n - 1 - k;
                double input = x[i];
                double y = (s.B0 * input) + z1;
                z1 = (s.B1 * input) - (s.A1 * y) + z2;
                z2 = (s.B2 * input) - (s.A2 * y);
                x[i] = y;
            }

            level = gain;
        }
    }
}