using System.Numerics;
using System.Runtime.InteropServices;

namespace SleepScoring.Analysis.Signals;

/// <summary>
/// Anti-aliased sample-rate conversion by a polyphase Kaiser-windowed sinc. The prototype passes
/// 0–0.4·min(rates) (ripple ≈ 0.003 dB) and attenuates ≥ 0.5·min(rates) by ≥ 70 dB, so nothing
/// aliases into the output band. Rational ratios with up to <see cref="MaxPhases"/> phases are
/// exact; other ratios (e.g. 173.61 Hz) use the nearest of <see cref="MaxPhases"/> phases
/// (timing error ≤ 1/8192 input sample, below −65 dB at 40 Hz). Samples beyond the ends are
/// taken as the end values, so offsets do not ring at the edges.
/// </summary>
public sealed class Resampler
{
    /// <summary>Most phases stored in the bank.</summary>
    public const int MaxPhases = 4096;

    /// <summary>Design stopband attenuation in dB.</summary>
    public const double AttenuationDb = 70;

    private readonly float[] _bank; // phase-major: _bank[p * _taps + j]
    private readonly int _taps;
    private readonly int _phases;
    private readonly long _up;   // exact ratio output/input = _up/_down, when rational
    private readonly long _down;
    private readonly bool _exact;

    /// <summary>Designs a converter from <paramref name="inputRate"/> to <paramref name="outputRate"/> Hz.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not finite and positive.</exception>
    public Resampler(double inputRate, double outputRate = 100)
    {
        if (!(inputRate > 0) || double.IsInfinity(inputRate))
        {
            throw new ArgumentOutOfRangeException(nameof(inputRate), inputRate, "Sampling rate must be a positive finite number of Hz.");
        }

        if (!(outputRate > 0) || double.IsInfinity(outputRate))
        {
            throw new ArgumentOutOfRangeException(nameof(outputRate), outputRate, "Sampling rate must be a positive finite number of Hz.");
        }

        InputRate = inputRate;
        OutputRate = outputRate;
        (_up, _down, _exact) = Ratio(inputRate, outputRate);
        _phases = _exact ? (int)_up : MaxPhases;

        double narrow = Math.Min(inputRate, outputRate);
        double passEdge = 0.4 * narrow, stopEdge = 0.5 * narrow;
        double transition = 2 * Math.PI * (stopEdge - passEdge) / inputRate;
        int half = (KaiserWindow.Order(AttenuationDb, transition) / 2) + 1;
        _taps = 2 * half;
        _bank = DesignBank(_phases, half, (passEdge + stopEdge) / 2 / inputRate);
    }

    /// <summary>Input sampling rate in Hz.</summary>
    public double InputRate { get; }

    /// <summary>Output sampling rate in Hz.</summary>
    public double OutputRate { get; }

    /// <summary>Filter length per phase, in input samples.</summary>
    public int Taps => _taps;

    /// <summary>Number of output samples for <paramref name="inputLength"/> input samples.</summary>
    public int OutputLength(int inputLength) => checked((int)OutputLength((long)inputLength));

    /// <summary>Number of output samples for <paramref name="inputLength"/> input samples.</summary>
    public long OutputLength(long inputLength) => _exact
        ? inputLength * _up / _down
        : (long)Math.Floor(inputLength * OutputRate / InputRate);

    /// <summary>Resamples a whole signal; output n is the input at time n / OutputRate.</summary>
    public float[] Process(ReadOnlySpan<float> input)
    {
        float[] output = new float[OutputLength(input.Length)];
        Process(input, output);
        return output;
    }

    /// <summary>Resamples <paramref name="input"/> into <paramref name="output"/> (length <see cref="OutputLength(int)"/>).</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length != OutputLength(input.Length))
        {
            throw new ArgumentException($"Output must hold {OutputLength(input.Length)} samples.", nameof(output));
        }

        if (!input.IsEmpty)
        {
            Process(input, 0, input.Length, 0, output);
        }
    }

    /// <summary>
    /// The input samples that outputs [<paramref name="firstOutput"/>, firstOutput + <paramref name="count"/>)
    /// of a signal of <paramref name="inputLength"/> samples read: what a window must hold for
    /// <see cref="Process(ReadOnlySpan{float}, long, long, long, Span{float})"/>.
    /// </summary>
    public (long Start, long End) InputRange(long firstOutput, int count, long inputLength)
    {
        if (count <= 0)
        {
            return (0, 0);
        }

        int half = _taps / 2;
        long first = Position(firstOutput).Index - half + 1;
        long last = Position(firstOutput + count - 1).Index - half + 1 + _taps;
        return (Math.Clamp(first, 0, inputLength), Math.Clamp(last, 0, inputLength));
    }

    /// <summary>
    /// Outputs [<paramref name="firstOutput"/>, firstOutput + output.Length) of a signal of
    /// <paramref name="inputLength"/> samples, of which <paramref name="window"/> holds those from
    /// <paramref name="windowStart"/> (at least <see cref="InputRange"/>): a long signal is resampled
    /// in pieces, each output computed exactly as when the whole signal is in one array.
    /// </summary>
    public void Process(ReadOnlySpan<float> window, long windowStart, long inputLength, long firstOutput, Span<float> output)
    {
        (long need, long needEnd) = InputRange(firstOutput, output.Length, inputLength);
        if (output.Length > 0 && (need < windowStart || needEnd > windowStart + window.Length))
        {
            throw new ArgumentException($"Outputs {firstOutput}… need input [{need}, {needEnd}); the window holds [{windowStart}, {windowStart + window.Length}).", nameof(window));
        }

        int half = _taps / 2;
        for (int i = 0; i < output.Length; i++)
        {
            (long i0, int phase) = Position(firstOutput + i);
            ReadOnlySpan<float> coefficients = _bank.AsSpan(phase * _taps, _taps);
            long first = i0 - half + 1;
            output[i] = first >= 0 && first + _taps <= inputLength
                ? Dot(window.Slice((int)(first - windowStart), _taps), coefficients)
                : EdgeDot(window, windowStart, inputLength, first, coefficients);
        }
    }

    /// <summary>The input sample at or before output <paramref name="n"/>'s time, and the filter phase between it and the next.</summary>
    private (long Index, int Phase) Position(long n)
    {
        if (_exact)
        {
            long position = n * _down;
            return (position / _up, (int)(position % _up));
        }

        double t = n * (InputRate / OutputRate);
        long i0 = (long)Math.Floor(t);
        int phase = (int)Math.Round((t - i0) * _phases);
        return phase == _phases ? (i0 + 1, 0) : (i0, phase);
    }

    /// <summary>Near the ends: samples beyond them are taken as the end values.</summary>
    private static float EdgeDot(ReadOnlySpan<float> window, long windowStart, long inputLength, long first, ReadOnlySpan<float> coefficients)
    {
        double sum = 0;
        for (int j = 0; j < coefficients.Length; j++)
        {
            long k = Math.Clamp(first + j, 0, inputLength - 1);
            sum += window[(int)(k - windowStart)] * coefficients[j];
        }

        return (float)sum;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        Vector<float> acc = Vector<float>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(a);
            ReadOnlySpan<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int v = 0; v < va.Length; v++)
            {
                acc += va[v] * vb[v];
            }

            i = va.Length * Vector<float>.Count;
        }

        float sum = Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static float[] DesignBank(int phases, int half, double cutoff)
    {
        // cutoff is in cycles per input sample; h(τ) = 2fc·sinc(2fc·τ)·kaiser(τ/half).
        int taps = 2 * half;
        double beta = KaiserWindow.Beta(AttenuationDb);
        float[] bank = new float[phases * taps];
        double[] row = new double[taps];
        for (int p = 0; p < phases; p++)
        {
            double fraction = (double)p / phases;
            double sum = 0;
            for (int j = 0; j < taps; j++)
            {
                double tau = fraction + half - 1 - j;
                double x = 2 * cutoff * tau;
                double sinc = x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
                row[j] = 2 * cutoff * sinc * KaiserWindow.Value(tau / half, beta);
                sum += row[j];
            }

            // Each phase sums to exactly 1: DC passes unchanged whatever the phase.
            for (int j = 0; j < taps; j++)
            {
                bank[(p * taps) + j] = (float)(row[j] / sum);
            }
        }

        return bank;
    }

    private static (long Up, long Down, bool Exact) Ratio(double input, double output)
    {
        // Rates such as 173.61 Hz are exact in milli-hertz; reduce output/input as a fraction.
        const double scale = 1000;
        double a = Math.Round(output * scale), b = Math.Round(input * scale);
        if (Math.Abs(a - (output * scale)) < 1e-6 && Math.Abs(b - (input * scale)) < 1e-6 && a < 1e12 && b < 1e12)
        {
            long up = (long)a, down = (long)b;
            long g = (long)BigInteger.GreatestCommonDivisor(up, down);
            up /= g;
            down /= g;
            if (up <= MaxPhases)
            {
                return (up, down, true);
            }
        }

        return (0, 0, false);
    }
}
