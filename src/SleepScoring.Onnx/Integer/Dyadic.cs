namespace SleepScoring.Onnx.Integer;

/// <summary>
/// A positive real ratio written as an integer multiplier and a power-of-two divisor,
/// ratio ≈ Multiplier / 2^Shift: the only form in which the integer graph may scale a value.
/// The real ratio is known at export time only; the graph sees the two integers.
/// </summary>
public readonly record struct Dyadic(long Multiplier, int Shift)
{
    /// <summary>Significant bits of the multiplier: 2^14 ≤ m &lt; 2^15 keeps z·m within 47 bits for 32-bit z.</summary>
    public const int MantissaBits = 15;

    /// <summary>The nearest dyadic with a <see cref="MantissaBits"/>-bit multiplier.</summary>
    public static Dyadic FromRatio(double ratio)
    {
        if (!(ratio > 0) || double.IsInfinity(ratio))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "A requantization ratio must be positive and finite.");
        }

        int shift = MantissaBits - 1 - (int)Math.Floor(Math.Log2(ratio));
        long multiplier = (long)Math.Round(ratio * Math.Pow(2, shift));
        if (multiplier >= 1L << MantissaBits)
        {
            multiplier >>= 1;
            shift--;
        }

        return new Dyadic(multiplier, shift);
    }

    /// <summary>With a shared shift: the multiplier for <paramref name="ratio"/> at the given <paramref name="shift"/>.</summary>
    public static Dyadic AtShift(double ratio, int shift)
    {
        long multiplier = (long)Math.Round(ratio * Math.Pow(2, shift));
        if (multiplier <= 0 || multiplier >= 1L << 31)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, $"Ratio {ratio} does not fit a 31-bit multiplier at shift {shift}.");
        }

        return new Dyadic(multiplier, shift);
    }

    /// <summary>The real value this dyadic stands for (for reports, never for the graph).</summary>
    public double Value => Multiplier / Math.Pow(2, Shift);

    /// <summary>⌊(z·m + 2^(e−1)) / 2^e⌋: rounding half up, exactly what the graph computes.</summary>
    public long Apply(long z) => IntegerMath.FloorDiv((z * Multiplier) + (Shift > 0 ? 1L << (Shift - 1) : 0), 1L << Shift);
}
