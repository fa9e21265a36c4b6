using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SleepScoring.Analysis.Signals;

/// <summary>
/// In-place iterative radix-2 complex FFT on separate real/imaginary arrays (double precision).
/// Twiddles are stored per stage, contiguously, so every butterfly pass reads them in order.
/// Plans are cached per size and are thread-safe to share.
/// </summary>
public sealed class Fft
{
    private static readonly ConcurrentDictionary<int, Fft> Plans = new();

    private readonly int[] _bitReverse;
    private readonly double[] _cos; // stage with half-size h uses entries [h − 1, 2h − 1)
    private readonly double[] _sin;

    private Fft(int size)
    {
        Size = size;
        int bits = BitOperations.Log2((uint)size);
        _bitReverse = new int[size];
        for (int i = 0; i < size; i++)
        {
            _bitReverse[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
        }

        _cos = new double[Math.Max(1, size - 1)];
        _sin = new double[Math.Max(1, size - 1)];
        for (int half = 1; half < size; half <<= 1)
        {
            for (int k = 0; k < half; k++)
            {
                double angle = -Math.PI * k / half;
                _cos[half - 1 + k] = Math.Cos(angle);
                _sin[half - 1 + k] = Math.Sin(angle);
            }
        }
    }

    /// <summary>Number of points (a power of two).</summary>
    public int Size { get; }

    /// <summary>The shared plan for <paramref name="size"/> points.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not a power of two ≥ 2.</exception>
    public static Fft ForSize(int size)
    {
        if (size < 2 || !BitOperations.IsPow2(size))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two ≥ 2.");
        }

        return Plans.GetOrAdd(size, static n => new Fft(n));
    }

    /// <summary>Forward transform X[k] = Σ x[n]·e^(−2πikn/N), in place.</summary>
    public void Forward(Span<double> re, Span<double> im) => Transform(re, im, 1.0);

    /// <summary>Inverse transform including the 1/N factor, in place.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        Transform(re, im, -1.0);
        double scale = 1.0 / Size;
        for (int i = 0; i < Size; i++)
        {
            re[i] *= scale;
            im[i] *= scale;
        }
    }

    private void Transform(Span<double> re, Span<double> im, double sign)
    {
        if (re.Length != Size || im.Length != Size)
        {
            throw new ArgumentException($"Both spans must hold {Size} values (got {re.Length} and {im.Length}).", nameof(re));
        }

        ref double r = ref MemoryMarshal.GetReference(re);
        ref double m = ref MemoryMarshal.GetReference(im);
        for (int i = 0; i < Size; i++)
        {
            int j = _bitReverse[i];
            if (j > i)
            {
                (Unsafe.Add(ref r, i), Unsafe.Add(ref r, j)) = (Unsafe.Add(ref r, j), Unsafe.Add(ref r, i));
                (Unsafe.Add(ref m, i), Unsafe.Add(ref m, j)) = (Unsafe.Add(ref m, j), Unsafe.Add(ref m, i));
            }
        }

        // First stage: twiddle 1.
        for (int a = 0; a < Size; a += 2)
        {
            double tr = Unsafe.Add(ref r, a + 1), ti = Unsafe.Add(ref m, a + 1);
            Unsafe.Add(ref r, a + 1) = Unsafe.Add(ref r, a) - tr;
            Unsafe.Add(ref m, a + 1) = Unsafe.Add(ref m, a) - ti;
            Unsafe.Add(ref r, a) += tr;
            Unsafe.Add(ref m, a) += ti;
        }

        ref double cosBase = ref MemoryMarshal.GetArrayDataReference(_cos);
        ref double sinBase = ref MemoryMarshal.GetArrayDataReference(_sin);
        for (int half = 2; half < Size; half <<= 1)
        {
            ref double wc = ref Unsafe.Add(ref cosBase, half - 1);
            ref double ws = ref Unsafe.Add(ref sinBase, half - 1);
            for (int start = 0; start < Size; start += half * 2)
            {
                ref double ra = ref Unsafe.Add(ref r, start);
                ref double ma = ref Unsafe.Add(ref m, start);
                ref double rb = ref Unsafe.Add(ref r, start + half);
                ref double mb = ref Unsafe.Add(ref m, start + half);
                for (int k = 0; k < half; k++)
                {
                    double wr = Unsafe.Add(ref wc, k);
                    double wi = sign * Unsafe.Add(ref ws, k);
                    double br = Unsafe.Add(ref rb, k), bi = Unsafe.Add(ref mb, k);
                    double tr = (br * wr) - (bi * wi);
                    double ti = (br * wi) + (bi * wr);
                    double ar = Unsafe.Add(ref ra, k), ai = Unsafe.Add(ref ma, k);
                    Unsafe.Add(ref rb, k) = ar - tr;
                    Unsafe.Add(ref mb, k) = ai - ti;
                    Unsafe.Add(ref ra, k) = ar + tr;
                    Unsafe.Add(ref ma, k) = ai + ti;
                }
            }
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
