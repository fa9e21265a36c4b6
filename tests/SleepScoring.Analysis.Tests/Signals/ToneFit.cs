namespace SleepScoring.Analysis.Tests.Signals;

/// <summary>Least-squares fit of a·cos + b·sin at a known frequency: the tone's amplitude and phase.</summary>
internal static class ToneFit
{
    public static (double Amplitude, double Phase) Fit(ReadOnlySpan<float> x, double samplingRate, double frequency, int firstSampleIndex = 0)
    {
        double cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
        for (int n = 0; n < x.Length; n++)
        {
            double w = 2 * Math.PI * frequency * (n + firstSampleIndex) / samplingRate;
            double c = Math.Cos(w), s = Math.Sin(w);
            cc += c * c;
            ss += s * s;
            cs += c * s;
            xc += x[n] * c;
            xs += x[n] * s;
        }

        double det = (cc * ss) - (cs * cs);
        double a = ((xc * ss) - (xs * cs)) / det;
        double b = ((xs * cc) - (xc * cs)) / det;
        return (Math.Sqrt((a * a) + (b * b)), Math.Atan2(b, a));
    }

    public static float[] Sine(int length, double samplingRate, double frequency, double amplitude, double offset = 0)
    {
        float[] x = new float[length];
        for (int n = 0; n < length; n++)
        {
            x[n] = (float)(offset + (amplitude * Math.Cos(2 * Math.PI * frequency * n / samplingRate)));
        }

        return x;
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum / x.Length);
    }
}
