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
}
