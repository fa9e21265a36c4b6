namespace SleepScoring.Onnx.Integer;

/// <summary>
/// Plain C# reference of the integer arithmetic the exported graph performs, step for step with
/// ONNX Runtime's semantics (Div truncates toward zero). The lookup tables are generated with it
/// and the tests hold the ONNX emitters to it.
/// </summary>
public static class IntegerMath
{
    /// <summary>⌊a / b⌋ for b &gt; 0.</summary>
    public static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && a < 0) ? q - 1 : q;
    }

    /// <summary>ONNX Runtime's integer Div: truncation toward zero.</summary>
    public static long TruncDiv(long a, long b) => a / b;

    /// <summary>
    /// Integer square root by Newton's iteration k ← min(k, ⌊(k + ⌊v/k⌋)/2⌋) from <paramref name="start"/>,
    /// a fixed number of times (the graph cannot loop on data). From a start above the root the
    /// sequence never increases, so enough iterations give ⌊√v⌋ exactly (see <see cref="SqrtIterations"/>).
    /// </summary>
    public static long NewtonSqrt(long v, long start, int iterations)
    {
        long k = start;
        for (int i = 0; i < iterations; i++)
        {
            k = Math.Min(k, (k + (v / k)) / 2);
        }

        return k;
    }

    /// <summary>Iterations that bring Newton from 2^<paramref name="startBits"/> to ⌊√v⌋ for every 1 ≤ v &lt; 2^(2·startBits).</summary>
    public static int SqrtIterations(int startBits) => startBits + 3;

    /// <summary>Largest exponent i of the start candidates: c = 2^i covers every v &lt; 2^32.</summary>
    public const int SqrtStartCandidates = 16;

    /// <summary>Iterations from <see cref="SqrtStart"/> that give ⌊√v⌋ for every 1 ≤ v ≤ 2^32: 3 pass the tests (exhaustive below 2^20, every square ± 1 up to 2^32, 200k random values); one more for margin.</summary>
    public const int BracketedSqrtIterations = 4;

    /// <summary>
    /// A Newton start above √v and close to it: min over c = 2^i (i = 1…16) of ⌊v/2c⌋ + c/2 + 1,
    /// each ≥ (v/c + c)/2 ≥ √v (AM–GM); the c nearest √v is within a factor √2, so the start is
    /// within 6.1 % (+1) of the root and <see cref="BracketedSqrtIterations"/> steps finish where
    /// 2^16 needed 19. In the graph: one Div by [4 … 2^17], one Add, one ReduceMin.
    /// </summary>
    public static long SqrtStart(long v)
    {
        long best = long.MaxValue;
        for (int i = 1; i <= SqrtStartCandidates; i++)
        {
            best = Math.Min(best, (v / SqrtStartDivisor(i)) + SqrtStartOffset(i));
        }

        return best;
    }

    /// <summary>2c = 2^(i+1), the divisor of candidate i.</summary>
    public static long SqrtStartDivisor(int i) => 1L << (i + 1);

    /// <summary>c/2 + 1 = 2^(i−1) + 1, the offset of candidate i.</summary>
    public static long SqrtStartOffset(int i) => (1L << (i - 1)) + 1;

    /// <summary>⌊√v⌋ for 1 ≤ v ≤ 2^32, as the graph computes it.</summary>
    public static long Sqrt(long v) => NewtonSqrt(v, SqrtStart(v), BracketedSqrtIterations);
}
