using SleepScoring.Analysis.Signals;

namespace SleepScoring.Synthesis;

/// <summary>
/// The expected one-sided PSD (µV²/Hz per FFT bin) for target features: log-PSD interpolated
/// linearly in log-frequency between the band centres (a smooth, 1/f-like shape rather than
/// steps), each band scaled to its target mean, the power below delta set so that the variance
/// matches, and the beta/gamma shape tilted so that the Hjorth mobility matches.
/// </summary>
internal static class SpectralTemplate
{
    /// <summary>Fills <paramref name="psd"/> (length FFT/2 + 1) for <paramref name="target"/>.</summary>
    public static void Build(SpectralRegions regions, in EpochFeatures target, Span<double> psd)
    {
        Span<double> logCentre = stackalloc double[EpochFeatures.BandCount];
        Span<double> logLevel = stackalloc double[EpochFeatures.BandCount];
        for (int b = 0; b < logCentre.Length; b++)
        {
            logCentre[b] = Math.Log(regions.Centre[b + 1]);
            logLevel[b] = Math.Log(Math.Max(target.Band(b), 1e-6));
        }

        psd[0] = 0;
        for (int k = 1; k < psd.Length; k++)
        {
            psd[k] = Math.Exp(Interpolate(logCentre, logLevel, regions.LogFrequency[k]));
        }

        Span<double> wanted = stackalloc double[SpectralRegions.Count];
        double bandsPower = 0;
        for (int b = 0; b < EpochFeatures.BandCount; b++)
        {
            wanted[b + 1] = target.Band(b) * regions.Width[b + 1];
            bandsPower += wanted[b + 1];
        }

        // What the bands leave of the variance lives below 0.5 Hz (drift, eye movements);
        // keep at least a little so the shape stays plausible.
        wanted[SpectralRegions.SubDelta] = Math.Max(target.Variance - bandsPower, 0.02 * target.Variance);
        SpectralShaping.ScaleRegions(regions, psd, wanted);
        Span<double> gains = stackalloc double[psd.Length];
        _ = SpectralShaping.MatchMobility(regions, psd, target.Mobility, gains);
    }

    private static double Interpolate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double at)
    {
        if (at <= x[0])
        {
            return y[0];
        }

        for (int i = 1; i < x.Length; i++)
        {
            if (at <= x[i])
            {
                double t = (at - x[i - 1]) / (x[i] - x[i - 1]);
                return y[i - 1] + (t * (y[i] - y[i - 1]));
            }
        }

        return y[^1];
    }
}
