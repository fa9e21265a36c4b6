namespace SleepScoring.Onnx.Integer;

/// <summary>
/// The error function, for building GELU tables when a model is quantized (.NET has no Math.Erf).
/// W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969) for |x| &lt; 4, where
/// they are good to about 1e-15; beyond, erf is ±1 within 1.6e-8, far finer than the 8-bit grid the table is rounded to.
/// </summary>
public static class GaussianError
{
    private static readonly double[] P = [0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.952221241769090, 1712.04761263407058, 2051.07837782607147, 1230.33935479799725];
    private static readonly double[] Q = [15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942];

    /// <summary>GELU(x) = x·Φ(x) = x·½·(1 + erf(x/√2)), the function the float model computes.</summary>
    public static double Gelu(double x) => x * 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>erf(x).</summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        double result;
        if (ax <= 0.46875)
        {
            double t = x * x;
            double num = (((0.185777706184603153 * t) + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021;
            num = (num * t) + 3209.37758913846947;
            double den = ((((t + 23.6012909523441209) * t) + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
            return x * num / den;
        }

        if (ax < 4)
        {
            double num = 2.15311535474403846e-8 * ax;
            double n = num, d = ax;
            for (int i = 0; i < 7; i++)
            {
                n = (n + P[i]) * ax;
                d = (d + Q[i]) * ax;
            }

            result = Math.Exp(-ax * ax) * (n + P[7]) / (d + Q[7]);
        }
        else
        {
            result = 0; // erfc(4) = 1.5e-8: nothing an 8-bit table can show
        }

        return x < 0 ? result - 1 : 1 - result;
    }
}
