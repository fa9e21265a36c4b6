namespace SleepScoring.Onnx.Integer;

/// <summary>What a requantization produces.</summary>
public enum RequantizedType
{
    /// <summary>8-bit activation as uint8 with zero point 128 (either operand of MatMulInteger).</summary>
    UInt8,

    /// <summary>16-bit value held in int32 (residual stream, pre-softmax scores).</summary>
    Int16InInt32,

    /// <summary>ReLU fused: uint8 with zero point 0 holding max(q, 0) (after the stem convolutions).</summary>
    UInt8Relu,
}

/// <summary>
/// Dyadic requantization of an int32 accumulator, per tensor or per output channel (last axis):
/// q = clamp(⌊(z·m_c + 2^(e−1)) / 2^e⌋) with one shift e for all channels. The graph adds a
/// multiple K·2^e that makes the dividend non-negative, so ONNX Runtime's truncating Div floors;
/// for 8-bit outputs K ≡ zero point (mod 256) and the final Cast's wrap-around removes K for free.
/// </summary>
public sealed class Requantization
{
    public Requantization(IReadOnlyList<double> ratios, RequantizedType output, long accumulatorBound = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        if (ratios.Count == 0)
        {
            throw new ArgumentException("At least one ratio is needed.", nameof(ratios));
        }

        Output = output;
        AccumulatorBound = accumulatorBound;
        int wideShift = Dyadic.FromRatio(ratios.Max()).Shift;

        // Prefer int32 arithmetic (half the memory traffic, no widening Cast): drop multiplier bits,
        // down to NarrowMantissaBits, until z·m + rounding + K·2^e provably stays below 2^31.
        for (int drop = 0; drop <= Dyadic.MantissaBits - NarrowMantissaBits && wideShift - drop >= 1; drop++)
        {
            int shift = wideShift - drop;
            long[] multipliers = ratios.Select(r => (long)Math.Round(r * Math.Pow(2, shift))).ToArray();
            if (multipliers.Any(m => m <= 0))
            {
                break;
            }

            long offset = OffsetFor(accumulatorBound, multipliers.Max(), shift, output);
            if (Dividend(accumulatorBound, multipliers.Max(), shift, offset) <= int.MaxValue)
            {
                (Shift, Multipliers, Offset, Narrow) = (shift, multipliers, offset, true);
                return;
            }
        }

        Shift = wideShift;
        Multipliers = ratios.Select(r => Dyadic.AtShift(r, Shift).Multiplier).ToArray();
        Offset = OffsetFor(accumulatorBound, Multipliers.Max(), Shift, output);
        if (Dividend(accumulatorBound, Multipliers.Max(), Shift, Offset) <= 0 || Shift > 61)
        {
            throw new ArgumentOutOfRangeException(nameof(accumulatorBound), accumulatorBound, "The requantization's intermediate does not fit in 63 bits.");
        }
    }

    /// <summary>Fewest multiplier bits accepted for int32 arithmetic (relative error ≤ 2^−10 of the largest channel's ratio).</summary>
    public const int NarrowMantissaBits = 11;

    /// <summary>True when the graph may compute in int32: the bound proves no intermediate overflows.</summary>
    public bool Narrow { get; }

    public RequantizedType Output { get; }

    /// <summary>|z| never exceeds this (fan-in × 128 × 127 + |bias|, or the int32 range).</summary>
    public long AccumulatorBound { get; }

    /// <summary>e, shared by all channels.</summary>
    public int Shift { get; }

    /// <summary>m_c, one per channel (or one for the tensor).</summary>
    public IReadOnlyList<long> Multipliers { get; }

    /// <summary>K: the bias in units of 2^e that keeps the dividend non-negative.</summary>
    public long Offset { get; }

    /// <summary>The clamp range of the rounded value.</summary>
    public (long Low, long High) Range => Output switch
    {
        RequantizedType.UInt8 => (-128, 127),
        RequantizedType.UInt8Relu => (0, 255),
        _ => (short.MinValue, short.MaxValue),
    };

    /// <summary>Reference: the rounded, clamped value of accumulator <paramref name="z"/> in <paramref name="channel"/>.</summary>
    public long Apply(long z, int channel)
    {
        long m = Multipliers[Multipliers.Count == 1 ? 0 : channel];
        long rounded = IntegerMath.FloorDiv((z * m) + (1L << (Shift - 1)), 1L << Shift);
        (long low, long high) = Range;
        return Math.Clamp(rounded, low, high);
    }

    /// <summary>K ≥ ⌈bound·m / 2^e⌉ + 2, ≡ the Cast's wrap-around residue for 8-bit outputs.</summary>
    private static long OffsetFor(long bound, long largest, int shift, RequantizedType output)
    {
        long k = ((bound * largest) >> shift) + 2;
        long modulus = output == RequantizedType.Int16InInt32 ? 1 : 256;
        long residue = output == RequantizedType.UInt8 ? 128 : 0; // the Cast's wrap-around subtracts K
        return k + (((residue - k) % modulus) + modulus) % modulus;
    }

    /// <summary>The largest dividend the graph forms: bound·m + 2^(e−1) + K·2^e (plus the clip range above K, which is smaller).</summary>
    private static long Dividend(long bound, long largest, int shift, long offset) =>
        (bound * largest) + (1L << (shift - 1)) + (offset << shift) + (255L << shift);

    /// <summary>Reference: the stored element (uint8 adds the zero point 128).</summary>
    public long Store(long z, int channel) => Apply(z, channel) + (Output == RequantizedType.UInt8 ? 128 : 0);
}
