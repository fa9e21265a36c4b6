namespace SleepScoring.Analysis.Signals;

/// <summary>Computes <see cref="EpochFeatures"/> of one epoch with the data README's definitions.</summary>
public sealed class FeatureExtractor
{
    private readonly WelchPsd _welch;

    /// <summary>Creates an extractor for signals at <paramref name="samplingRate"/> Hz (Welch nperseg 256).</summary>
    public FeatureExtractor(double samplingRate = 100) => _welch = new WelchPsd(samplingRate);

    /// <summary>The Welch estimator used for the band means.</summary>
    public WelchPsd Welch => _welch;

    /// <summary>Features of <paramref name="epoch"/> (µV in, µV²/Hz and µV² out).</summary>
    public EpochFeatures Compute(ReadOnlySpan<float> epoch)
    {
        Span<double> psd = stackalloc double[_welch.Frequencies.Length];
        _welch.Compute(epoch, psd);
        Span<double> bands = stackalloc double[EpochFeatures.BandCount];
        for (int b = 0; b < bands.Length; b++)
        {
            bands[b] = _welch.BandMean(psd, FrequencyBand.EegBands[b]);
        }

        double variance = Variance(epoch);
        double mobility = variance > 0 ? Math.Sqrt(DifferenceVariance(epoch) / variance) : 0;
        return EpochFeatures.FromBands(bands, variance, mobility);
    }

    /// <summary>Population variance (numpy var, ddof 0), two-pass for accuracy.</summary>
    public static double Variance(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty)
        {
            return 0;
        }

        double mean = 0;
        foreach (float v in x)
        {
            mean += v;
        }

        mean /= x.Length;
        double sum = 0;
        foreach (float v in x)
        {
            double d = v - mean;
            sum += d * d;
        }

        return sum / x.Length;
    }

    /// <summary>Population variance of the first difference x[i+1] − x[i].</summary>
    public static double DifferenceVariance(ReadOnlySpan<float> x)
    {
        int n = x.Length - 1;
        if (n < 1)
        {
            return 0;
        }

        double mean = (x[n] - (double)x[0]) / n;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double d = x[i + 1] - (double)x[i] - mean;
            sum += d * d;
        }

        return sum / n;
    }
}
