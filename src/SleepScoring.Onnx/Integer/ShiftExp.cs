namespace SleepScoring.Onnx.Integer;

/// <summary>
/// I-ViT's integer exponential (Li &amp; Gu, ICCV 2023, "Shiftmax"): for t ≤ 0 at scale S,
/// e^(t·S) ≈ E(t) / E(0), computed with shifts and one floor division:
/// t·log2 e ≈ t + ⌊t/2⌋ − ⌊t/16⌋; with x0 = ⌊−1/S⌋, q = ⌊t'/x0⌋, r = t' − q·x0,
/// 2^(r·S) ≈ 1 + r·S/2, so E = ⌊(r − 2·x0)·2^(n−q) / 2⌋ with n = <see cref="ClampExponent"/>.
/// E(0) = −x0·2^n; t' is clamped at n·x0 so E never reaches zero (I-ViT's choice).
/// </summary>
public sealed class ShiftExp
{
    /// <summary>I-ViT's n: exponents below −n (in powers of two) are clamped.</summary>
    public const int ClampExponent = 15;

    public ShiftExp(double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale of an integer exponent's input must be positive and finite.");
        }

        X0 = (long)Math.Floor(-1.0 / scale);
        if (X0 > -1)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Scale above 1: one integer step exceeds a unit of the exponent; requantize the input finer.");
        }

        Scale = scale;
    }

    /// <summary>The real value of one input step.</summary>
    public double Scale { get; }

    /// <summary>x0 = ⌊−1/S⌋: minus one, in input steps.</summary>
    public long X0 { get; }

    /// <summary>E(0), the largest value: −x0·2^n.</summary>
    public long Max => -X0 << ClampExponent;

    /// <summary>Real value of one output step: e^(t·S) ≈ E(t)·OutputScale.</summary>
    public double OutputScale => 1.0 / Max;

    /// <summary>The smallest d ≥ 0 from which E(−d) no longer changes (the clamp point).</summary>
    public long ClampDistance
    {
        get
        {
            // t' = t + ⌊t/2⌋ − ⌊t/16⌋ decreases with d; find the first d with t' ≤ n·x0 by bisection.
            long lo = 0, hi = (-X0 * ClampExponent * 2) + 16;
            while (lo < hi)
            {
                long mid = (lo + hi) / 2;
                if (Log2Scaled(-mid) <= ClampExponent * X0)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return lo;
        }
    }

    /// <summary>E(t) for t ≤ 0.</summary>
    public long Evaluate(long t)
    {
        if (t > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, "The integer exponent is defined for t ≤ 0.");
        }

        long scaled = Math.Max(Log2Scaled(t), ClampExponent * X0);
        long q = IntegerMath.FloorDiv(-scaled, -X0); // ⌊t'/x0⌋ with both negative
        long r = scaled - (X0 * q);
        return ((r - (2 * X0)) << (int)(ClampExponent - q)) / 2;
    }

    /// <summary>t·log2 e ≈ t + ⌊t/2⌋ − ⌊t/16⌋ (I-ViT).</summary>
    private static long Log2Scaled(long t) => t + IntegerMath.FloorDiv(t, 2) - IntegerMath.FloorDiv(t, 16);
}
