using SleepScoring.Analysis.Signals;

namespace SleepScoring.Synthesis;

/// <summary>
/// Partition of the synthesis FFT grid (4096 points at 100 Hz) into the regions the Welch band
/// means see: below delta ("sub-delta", only in the variance), the five EEG bands, and nothing
/// else. Region edges sit midway between the last Welch bin of one band and the first of the
/// next, so scaling a region moves mainly its own band mean.
/// </summary>
internal sealed class SpectralRegions
{
    /// <summary>Region index of the power below the delta band.</summary>
    public const int SubDelta = 0;

    /// <summary>Number of regions: sub-delta plus the five bands.</summary>
    public const int Count = EpochFeatures.BandCount + 1;

    public SpectralRegions(int fftSize, double samplingRate, WelchPsd welch)
    {
        FftSize = fftSize;
        Resolution = samplingRate / fftSize;
        double[] edges = new double[Count];
        IReadOnlyList<FrequencyBand> bands = FrequencyBand.EegBands;
        for (int b = 0; b < bands.Count; b++)
        {
            double firstInBand = welch.Frequencies.First(f => f >= bands[b].Low);
            double lastBelow = welch.Frequencies.Last(f => f < firstInBand);
            edges[b + 1] = (firstInBand + lastBelow) / 2;
        }

        RegionOf = new int[(fftSize / 2) + 1];
        DifferenceWeight = new double[RegionOf.Length];
        LogFrequency = new double[RegionOf.Length];
        Frequency = new double[RegionOf.Length];
        Width = new double[Count];
        Centre = new double[Count];
        for (int k = 0; k < RegionOf.Length; k++)
        {
            double f = k * Resolution;
            Frequency[k] = f;
            LogFrequency[k] = k == 0 ? double.NegativeInfinity : Math.Log(f);
            double s = Math.Sin(Math.PI * k / fftSize);
            DifferenceWeight[k] = 4 * s * s;
            int region = 0;
            while (region + 1 < Count && f >= edges[region + 1])
            {
                region++;
            }

            RegionOf[k] = k == 0 ? -1 : region;
        }

        for (int r = 0; r < Count; r++)
        {
            double low = r == 0 ? 0 : edges[r];
            double high = r + 1 < Count ? edges[r + 1] : samplingRate / 2;
            Width[r] = high - low;
            Centre[r] = r == 0 ? high / 2 : bands[r - 1].LogCentre;
        }
    }

    public int FftSize { get; }

    /// <summary>Hz per FFT bin.</summary>
    public double Resolution { get; }

    /// <summary>Region of each one-sided bin (−1 for DC).</summary>
    public int[] RegionOf { get; }

    /// <summary>Frequency of each one-sided bin in Hz.</summary>
    public double[] Frequency { get; }

    /// <summary>|1 − e^{−iω}|² = 4 sin²(πk/N): the power gain of a first difference at bin k.</summary>
    public double[] DifferenceWeight { get; }

    /// <summary>Natural logarithm of each bin's frequency.</summary>
    public double[] LogFrequency { get; }

    /// <summary>Width of each region in Hz.</summary>
    public double[] Width { get; }

    /// <summary>Representative frequency of each region (log centre of the band).</summary>
    public double[] Centre { get; }
}
