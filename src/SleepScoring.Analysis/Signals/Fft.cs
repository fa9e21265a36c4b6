using System.Collections.Concurrent;
using System.Numerics;

namespace SleepScoring.Analysis.Signals;

/// <summary>
/// In-place iterative radix-2 complex FFT on separate real/imaginary arrays (double precision).
/// Plans (twiddles and bit-reversal table) are cached per size and are thread-safe to share.
/// </summary>
public sealed class Fft
{
    private static readonly ConcurrentDictionary<int, Fft> Plans = new();

    private readonly int[] _bitReverse;
    private readonly double[] _cos;
    private readonly double[] _sin;

    private Fft(int size)
    {
        Size = size;
        int bits = BitOperations.Log2((uint)size);
        _bitReverse = new int[size];
        for (int i = 0; i < size; i++)
        {
            _bitReverse[i] = (int)(ReverseBits((uint)i) >> (32 - bits));
        }

        _cos = new double[size / 2];
        _sin = new double[size / 2];
        for (int k = 0; k < size / 2; k++)
        {
            double angle = -2.0 * Math.PI * k / size;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
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
    public void Forward(Span<double> re, Span<double> im) => Transform(re, im, inverse: false);

    /// <summary>Inverse transform including the 1/N factor, in place.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        Transform(re, im, inverse: true);
        double scale = 1.0 / Size;
        for (int i = 0; i < Size; i++)
        {
            re[i] *= scale;
            im[i] *= scale;
        }
    }

    private void Transform(Span<double> re, Span<double> im, bool inverse)
    {
        if (re.Length != Size || im.Length != Size)
        {
            throw new ArgumentException($"Both spans must hold {Size} values (got {re.Length} and {im.Length}).", nameof(re));
        }

        for (int i = 0; i < Size; i++)
        {
            int j = _bitReverse[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        double sign = inverse ? -1.0 : 1.0;
        for (int half = 1; half < Size; half <<= 1)
        {
            int stride = Size / (half * 2);
            for (int start = 0; start < Size; start += half * 2)
            {
                for (int k = 0; k < half; k++)
                {
                    double wr = _cos[k * stride];
                    double wi = sign * _sin[k * stride];
                    int a = start + k;
                    int b = a + half;
                    double tr = (re[b] * wr) - (im[b] * wi);
                    double ti = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
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