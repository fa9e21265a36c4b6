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

/// <summary>How a requantization computes, chosen from its ratios and accumulator bound.</summary>
public enum RequantizationForm
{
    /// <summary>
    /// int32, m = 1, one divisor per channel D_c = round(1/ratio_c) ≥ 2^8: Add, Div — no Mul. For
    /// 8-bit outputs of large accumulators (ratio ≤ 2^−8); the divisor's relative error is ≤ 2^−9.
    /// </summary>
    Divisor,

    /// <summary>int32, per-channel multipliers m_c ≥ 2^8 and one power-of-two divisor 2^e: Mul, Add, Div.</summary>
    NarrowDyadic,

    /// <summary>int64, 15-bit multipliers: Cast, Mul, Add, then the division as a uint64 right shift.</summary>
    WideDyadic,
}

/// <summary>
/// Requantization of an int32 accumulator, per tensor or per output channel (last axis):
/// q = clamp(⌊(z·m_c + ⌊D_c/2⌋) / D_c⌋) — rounding half up — in the cheapest
/// <see cref="RequantizationForm"/> that the bound proves cannot overflow. The graph adds a multiple
/// K·D_c that makes the dividend non-negative, so ONNX Runtime's truncating Div floors and every
/// channel's quotient is q + K; for 8-bit outputs K ≡ zero point (mod 256) and the final Cast's
/// wrap-around removes K for free.
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
        if (output != RequantizedType.Int16InInt32 && ratios.Max() <= 1.0 / (1 << (NarrowMultiplierBits - 1)))
        {
            long[] divisors = [.. ratios.Select(r => (long)Math.Round(1 / r))];
            long offset = OffsetFor(accumulatorBound, 1, divisors.Min(), output);
            if (divisors.Max(d => Dividend(accumulatorBound, 1, d, offset)) <= int.MaxValue)
            {
                (Form, Multipliers, Divisors, Offset) = (RequantizationForm.Divisor, [1], divisors, offset);
                return;
            }
        }

        int wideShift = Dyadic.FromRatio(ratios.Max()).Shift;

        // Prefer int32 arithmetic (no widening Casts, no int64 Mul and Add: ~1.8 ns less per element
        // here): drop multiplier bits until z·m + rounding + K·2^e provably stays below 2^31, as long
        // as every channel's multiplier keeps NarrowMultiplierBits.
        for (int drop = 0; wideShift - drop >= 1; drop++)
        {
            int shift = wideShift - drop;
            long[] multipliers = ratios.Select(r => (long)Math.Round(r * Math.Pow(2, shift))).ToArray();
            if (multipliers.Min() < 1L << (NarrowMultiplierBits - 1))
            {
                break;
            }

            long offset = OffsetFor(accumulatorBound, multipliers.Max(), 1L << shift, output);
            if (Dividend(accumulatorBound, multipliers.Max(), 1L << shift, offset) <= int.MaxValue)
            {
                (Form, Shift, Multipliers, Divisors, Offset) = (RequantizationForm.NarrowDyadic, shift, multipliers, [1L << shift], offset);
                return;
            }
        }

        Form = RequantizationForm.WideDyadic;
        Shift = wideShift;
        Multipliers = ratios.Select(r => Dyadic.AtShift(r, Shift).Multiplier).ToArray();
        Divisors = [1L << Shift];
        Offset = OffsetFor(accumulatorBound, Multipliers.Max(), 1L << Shift, output);
        long dividend = Dividend(accumulatorBound, Multipliers.Max(), 1L << Shift, Offset);
        // The graph shifts in uint64 and clips in int32: the dividend must fit 63 bits and the quotient 31.
        if (dividend <= 0 || Shift > 61 || dividend >> Shift > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(accumulatorBound), accumulatorBound, "The requantization's intermediate does not fit in 63 bits.");
        }
    }

    /// <summary>
    /// Fewest significant bits of any channel's multiplier or divisor accepted for int32
    /// arithmetic: ≥ 2^8, a relative error ≤ 2^−9 of the channel's scale (a quarter of an output
    /// step at full scale, against the half step of rounding).
    /// </summary>
    public const int NarrowMultiplierBits = 9;

    public RequantizationForm Form { get; }

    /// <summary>True when the graph computes in int32 (<see cref="RequantizationForm.Divisor"/> or <see cref="RequantizationForm.NarrowDyadic"/>).</summary>
    public bool Narrow => Form != RequantizationForm.WideDyadic;

    public RequantizedType Output { get; }

    /// <summary>|z| never exceeds this (fan-in × 128 × 127 + |bias|, or the int32 range).</summary>
    public long AccumulatorBound { get; }

    /// <summary>e of the dyadic forms, shared by all channels (0 for <see cref="RequantizationForm.Divisor"/>).</summary>
    public int Shift { get; }

    /// <summary>m_c, one per channel (or one for the tensor).</summary>
    public IReadOnlyList<long> Multipliers { get; }

    /// <summary>D_c, one per channel (or one for the tensor): 2^e for the dyadic forms.</summary>
    public IReadOnlyList<long> Divisors { get; }

    /// <summary>K: the bias in units of D_c that keeps the dividend non-negative.</summary>
    public long Offset { get; }

    /// <summary>The clamp range of the rounded value.</summary>
    public (long Low, long High) Range => Output switch
    {
        RequantizedType.UInt8 => (-128, 127),
        RequantizedType.UInt8Relu => (0, 255),
        _ => (short.MinValue, short.MaxValue),
    };

    /// <summary>
    /// The largest quotient v = ⌊(z·m_c + C_c)/D_c⌋ the graph can form before its clip (v = q + K ≥ 0):
    /// the length − 1 of a table indexed by v.
    /// </summary>
    public long LargestQuotient => Enumerable.Range(0, Math.Max(Multipliers.Count, Divisors.Count))
        .Max(c => Dividend(AccumulatorBound, Multiplier(c), Divisor(c), Offset) / Divisor(c));

    /// <summary>
    /// What the graph adds after the multiply, per channel: b_c·m_c + ⌊D_c/2⌋ + K·D_c. The
    /// accumulator's bias rides in it ((z + b)·m = z·m + b·m), so it needs no Add of its own; the
    /// bound checks above cover it, as <see cref="AccumulatorBound"/> includes |b|.
    /// </summary>
    /// <param name="bias">b_c per output channel (at the accumulator's scale), or null.</param>
    public long[] Constants(IReadOnlyList<int>? bias)
    {
        int channels = Math.Max(Multipliers.Count, Divisors.Count);
        if (bias is not null && channels != 1 && channels != bias.Count)
        {
            throw new ArgumentException($"{bias.Count} biases for {channels} channels.", nameof(bias));
        }

        int count = bias?.Count ?? channels;
        return [.. Enumerable.Range(0, count).Select(c => ((bias?[c] ?? 0) * Multiplier(c)) + (Divisor(c) / 2) + (Offset * Divisor(c)))];
    }

    /// <summary>m of channel <paramref name="channel"/> (the tensor's when there is one).</summary>
    public long Multiplier(int channel) => Multipliers[Multipliers.Count == 1 ? 0 : channel];

    /// <summary>D of channel <paramref name="channel"/> (the tensor's when there is one).</summary>
    public long Divisor(int channel) => Divisors[Divisors.Count == 1 ? 0 : channel];

    /// <summary>Reference: the rounded, clamped value of accumulator <paramref name="z"/> in <paramref name="channel"/>.</summary>
    public long Apply(long z, int channel)
    {
        long d = Divisor(channel);
        long rounded = IntegerMath.FloorDiv((z * Multiplier(channel)) + (d / 2), d);
        (long low, long high) = Range;
        return Math.Clamp(rounded, low, high);
    }

    /// <summary>K ≥ ⌈bound·m / D⌉ + 2 for the smallest D, ≡ the Cast's wrap-around residue for 8-bit outputs.</summary>
    private static long OffsetFor(long bound, long largestMultiplier, long smallestDivisor, RequantizedType output)
    {
        long k = (bound * largestMultiplier / smallestDivisor) + 2;
        long modulus = output == RequantizedType.Int16InInt32 ? 1 : 256;
        long residue = output == RequantizedType.UInt8 ? 128 : 0; // the Cast's wrap-around subtracts K
        return k + (((residue - k) % modulus) + modulus) % modulus;
    }

    /// <summary>The largest dividend the graph forms: bound·m + ⌊D/2⌋ + K·D (plus the clip range above K, which is smaller).</summary>
    private static long Dividend(long bound, long multiplier, long divisor, long offset) =>
        (bound * multiplier) + (divisor / 2) + (offset * divisor) + (255L * divisor);

    /// <summary>Reference: the stored element (uint8 adds the zero point 128).</summary>
    public long Store(long z, int channel) => Apply(z, channel) + (Output == RequantizedType.UInt8 ? 128 : 0);
}
