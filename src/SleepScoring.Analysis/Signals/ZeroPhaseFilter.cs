namespace SleepScoring.Analysis.Signals;

/// <summary>
/// A cascade of biquads applied forward and backward (zero phase, squared magnitude), with the
/// edge handling of scipy.signal.sosfiltfilt: odd extension by 3·(2·sections + 1) samples and
/// each pass started from the steady state of its first input sample (sosfilt_zi), so a DC offset
/// or slow drift does not ring at the ends. State is double precision: a 0.3 Hz pole at 100 Hz
/// sits too close to the unit circle for float.
/// </summary>
public sealed partial class ZeroPhaseFilter
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

    /// <summary>
    /// Butterworth edges of order 2 each (a high-pass at <paramref name="highPass"/>, a low-pass at
    /// <paramref name="lowPass"/>, either optional), forward and backward: the extra filter of a sensing
    /// candidate, which training draws the same way.
    /// </summary>
    public static ZeroPhaseFilter Edges(double samplingRate, double? highPass, double? lowPass) =>
        new([
            .. highPass is double high ? [Biquad.HighPass(samplingRate, high)] : Array.Empty<Biquad>(),
            .. lowPass is double low ? [Biquad.LowPass(samplingRate, low)] : Array.Empty<Biquad>(),
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
    public void Apply(Span<float> signal) => Apply(signal, new double[WorkLength(signal.Length)]);

    /// <summary>Doubles of work space <see cref="Apply(Span{float}, Span{double})"/> needs for <paramref name="samples"/> samples.</summary>
    public int WorkLength(int samples) => samples == 0 ? 0 : samples + (2 * Pad(samples));

    /// <summary>
    /// Filters <paramref name="signal"/> in place using caller-owned <paramref name="work"/> space (at
    /// least <see cref="WorkLength"/> doubles; its contents are overwritten), so a caller that
    /// filters many signals can reuse one buffer. Results equal <see cref="Apply(Span{float})"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="work"/> is too short.</exception>
    public void Apply(Span<float> signal, Span<double> work)
    {
        int n = signal.Length;
        if (n == 0)
        {
            return;
        }

        int pad = Pad(n);
        if (work.Length < n + (2 * pad))
        {
            throw new ArgumentException($"Filtering {n} samples needs {n + (2 * pad)} doubles of work space, got {work.Length}.", nameof(work));
        }

        work = work[..(n + (2 * pad))];
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

    /// <summary>The odd extension at each end: 3 × (2 × sections + 1) samples (scipy's default), at most samples − 1.</summary>
    internal int Pad(long samples) => (int)Math.Min(3 * ((2 * _sections.Length) + 1), samples - 1);

    /// <summary>Doubles of state of one pass: two per section.</summary>
    internal int StateLength => 2 * _sections.Length;

    /// <summary>
    /// The state of every section for a pass whose first input is <paramref name="level"/>: each
    /// section in the steady state of a constant input (scipy's sosfilt_zi), the next section's
    /// input being the previous one's output level.
    /// </summary>
    internal void Start(Span<double> state, double level)
    {
        for (int k = 0; k < _sections.Length; k++)
        {
            (state[2 * k], state[(2 * k) + 1], level) = SteadyState(_sections[k], level);
        }
    }

    /// <summary>
    /// Runs the next samples of a pass through every section, in place, carrying
    /// <paramref name="state"/> from the previous call: the same arithmetic, sample for sample,
    /// whether a pass runs in one call or in many chunks.
    /// </summary>
    internal void Continue(Span<double> x, Span<double> state)
    {
        int k = 0;
        for (; k + 1 < _sections.Length; k += 2)
        {
            RunPair(x, _sections[k], _sections[k + 1], state.Slice(2 * k, 4));
        }

        if (k < _sections.Length)
        {
            RunSingle(x, _sections[k], state.Slice(2 * k, 2));
        }
    }

    private void Run(Span<double> x, bool forward)
    {
        if (!forward)
        {
            x.Reverse();
        }

        Span<double> state = stackalloc double[StateLength];
        Start(state, x[0]);
        Continue(x, state);
        if (!forward)
        {
            x.Reverse();
        }
    }

    /// <summary>
    /// Two sections in one pass with their state in registers: section 2 works on sample n while
    /// section 1 already works on n + 1, which hides most of the recursion's latency.
    /// </summary>
    private static void RunPair(Span<double> x, Biquad a, Biquad b, Span<double> state)
    {
        double a1 = state[0], a2 = state[1], b1 = state[2], b2 = state[3];
        for (int i = 0; i < x.Length; i++)
        {
            double input = x[i];
            double ya = (a.B0 * input) + a1;
            a1 = (a.B1 * input) - (a.A1 * ya) + a2;
            a2 = (a.B2 * input) - (a.A2 * ya);
            double yb = (b.B0 * ya) + b1;
            b1 = (b.B1 * ya) - (b.A1 * yb) + b2;
            b2 = (b.B2 * ya) - (b.A2 * yb);
            x[i] = yb;
        }

        (state[0], state[1], state[2], state[3]) = (a1, a2, b1, b2);
    }

    private static void RunSingle(Span<double> x, Biquad s, Span<double> state)
    {
        double z1 = state[0], z2 = state[1];
        for (int i = 0; i < x.Length; i++)
        {
            double input = x[i];
            double y = (s.B0 * input) + z1;
            z1 = (s.B1 * input) - (s.A1 * y) + z2;
            z2 = (s.B2 * input) - (s.A2 * y);
            x[i] = y;
        }

        (state[0], state[1]) = (z1, z2);
    }

    /// <summary>Transposed direct form II state for a constant input <paramref name="level"/> (scipy's sosfilt_zi), and the output level.</summary>
    private static (double Z1, double Z2, double Output) SteadyState(Biquad s, double level)
    {
        double output = s.DcGain * level;
        double z2 = (s.B2 * level) - (s.A2 * output);
        double z1 = (s.B1 * level) - (s.A1 * output) + z2;
        return (z1, z2, output);
    }
}
