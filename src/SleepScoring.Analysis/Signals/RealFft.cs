using System.Buffers;
using System.Collections.Concurrent;

namespace SleepScoring.Analysis.Signals;

/// <summary>
/// FFT of a real signal of N points through one complex FFT of N/2 points (even samples as
/// real part, odd samples as imaginary part, then one split pass): half the work of a complex
/// transform. Spectra are one-sided: bins 0 … N/2. Thread-safe; plans are cached per size.
/// </summary>
public sealed class RealFft
{
    private static readonly ConcurrentDictionary<int, RealFft> Plans = new();

    private readonly Fft _half;
    private readonly double[] _cos; // e^(−2πik/N), k = 0 … N/2
    private readonly double[] _sin;

    private RealFft(int size)
    {
        Size = size;
        _half = Fft.ForSize(size / 2);
        _cos = new double[(size / 2) + 1];
        _sin = new double[(size / 2) + 1];
        for (int k = 0; k < _cos.Length; k++)
        {
            _cos[k] = Math.Cos(-2 * Math.PI * k / size);
            _sin[k] = Math.Sin(-2 * Math.PI * k / size);
        }
    }

    /// <summary>Number of real points (a power of two ≥ 4).</summary>
    public int Size { get; }

    /// <summary>Number of one-sided bins, N/2 + 1.</summary>
    public int Bins => (Size / 2) + 1;

    /// <summary>The shared plan for <paramref name="size"/> real points.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not a power of two ≥ 4.</exception>
    public static RealFft ForSize(int size) =>
        size < 4 || !System.Numerics.BitOperations.IsPow2(size)
            ? throw new ArgumentOutOfRangeException(nameof(size), size, "Real FFT size must be a power of two ≥ 4.")
            : Plans.GetOrAdd(size, static n => new RealFft(n));

    /// <summary>X[k] = Σ x[n]·e^(−2πikn/N) for k = 0 … N/2.</summary>
    public void Forward(ReadOnlySpan<double> x, Span<double> re, Span<double> im)
    {
        int h = Size / 2;
        Check(x.Length, re.Length, im.Length);
        double[] zr = ArrayPool<double>.Shared.Rent(h), zi = ArrayPool<double>.Shared.Rent(h);
        try
        {
            for (int n = 0; n < h; n++)
            {
                zr[n] = x[2 * n];
                zi[n] = x[(2 * n) + 1];
            }

            _half.Forward(zr.AsSpan(0, h), zi.AsSpan(0, h));
            for (int k = 0; k <= h; k++)
            {
                int a = k % h, b = (h - k) % h;
                // Even part E = (Z_k + conj Z_{h−k})/2, odd part O = (Z_k − conj Z_{h−k})/(2i).
                double er = (zr[a] + zr[b]) / 2, ei = (zi[a] - zi[b]) / 2;
                double or = (zi[a] + zi[b]) / 2, oi = -(zr[a] - zr[b]) / 2;
                re[k] = er + ((or * _cos[k]) - (oi * _sin[k]));
                im[k] = ei + ((or * _sin[k]) + (oi * _cos[k]));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(zr);
            ArrayPool<double>.Shared.Return(zi);
        }
    }

    /// <summary>The real signal whose one-sided spectrum is (re, im); the inverse of <see cref="Forward"/> (imaginary parts of bins 0 and N/2 are ignored).</summary>
    public void Inverse(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> x)
    {
        int h = Size / 2;
        Check(x.Length, re.Length, im.Length);
        double[] zr = ArrayPool<double>.Shared.Rent(h), zi = ArrayPool<double>.Shared.Rent(h);
        try
        {
            for (int k = 0; k < h; k++)
            {
                int b = h - k;
                double xbr = re[b], xbi = k == 0 ? 0 : -im[b]; // conj X_{h−k}
                double xar = re[k], xai = k == 0 ? 0 : im[k];
                double er = (xar + xbr) / 2, ei = (xai + xbi) / 2;
                double dr = (xar - xbr) / 2, di = (xai - xbi) / 2;
                // O = D·e^(+2πik/N); Z = E + i·O.
                double or = (dr * _cos[k]) + (di * _sin[k]);
                double oi = (di * _cos[k]) - (dr * _sin[k]);
                zr[k] = er - oi;
                zi[k] = ei + or;
            }

            _half.Inverse(zr.AsSpan(0, h), zi.AsSpan(0, h));
            for (int n = 0; n < h; n++)
            {
                x[2 * n] = zr[n];
                x[(2 * n) + 1] = zi[n];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(zr);
            ArrayPool<double>.Shared.Return(zi);
        }
    }

    private void Check(int signal, int re, int im)
    {
        if (signal != Size || re != Bins || im != Bins)
        {
            throw new ArgumentException($"A {Size}-point real FFT needs {Size} samples and {Bins} bins (got {signal}, {re}, {im}).");
        }
    }
}
