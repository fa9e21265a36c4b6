using SleepScoring.Analysis.Signals;
using SleepScoring.Edf;

namespace SleepScoring.Synthesis;

/// <summary>
/// The realism check of the surrogate generator: per channel and feature, |log10(synthetic/real)|
/// for the band means and the variance, and |synthetic/real − 1| for the Hjorth mobility.
/// </summary>
public sealed class RealismTally
{
    private static readonly string[] FeatureNames = ["delta", "theta", "alpha", "beta", "gamma", "variance", "mobility"];

    /// <summary>Feature names in column order (five bands, variance, mobility).</summary>
    public static IReadOnlyList<string> Features { get; } = FeatureNames;

    /// <summary>Channel names in column order.</summary>
    public static IReadOnlyList<string> Channels { get; } = ["fpz_cz", "pz_oz"];

    private readonly List<double>[,] _errors = new List<double>[2, FeatureNames.Length];

    /// <summary>Creates an empty tally.</summary>
    public RealismTally()
    {
        for (int c = 0; c < 2; c++)
        {
            for (int f = 0; f < FeatureNames.Length; f++)
            {
                _errors[c, f] = [];
            }
        }
    }

    /// <summary>Number of epochs added per channel.</summary>
    public int Count => _errors[0, 0].Count;

    /// <summary>Adds one epoch of one channel (0 Fpz-Cz, 1 Pz-Oz).</summary>
    public void Add(int channel, in EpochFeatures real, in EpochFeatures synthetic)
    {
        for (int b = 0; b < EpochFeatures.BandCount; b++)
        {
            _errors[channel, b].Add(Math.Abs(Math.Log10(synthetic.Band(b) / real.Band(b))));
        }

        _errors[channel, 5].Add(Math.Abs(Math.Log10(synthetic.Variance / real.Variance)));
        _errors[channel, 6].Add(Math.Abs((synthetic.Mobility / real.Mobility) - 1));
    }

    /// <summary>
    /// Adds every row of <paramref name="night"/>: the features recomputed from the PSG file at
    /// <paramref name="psgPath"/> (signals found by label) against the row's real features.
    /// </summary>
    public void AddRecording(string psgPath, NightFeatures night)
    {
        ArgumentNullException.ThrowIfNull(night);
        using EdfReader reader = EdfReader.Open(psgPath);
        string[] labels = ["EEG Fpz-Cz", "EEG Pz-Oz"];
        var extractor = new FeatureExtractor();
        for (int c = 0; c < labels.Length; c++)
        {
            EdfSignal signal = reader.Signals.FirstOrDefault(s => s.Label == labels[c])
                ?? throw new InvalidDataException($"{psgPath} has no signal labelled '{labels[c]}'.");
            float[] samples = reader.ReadPhysical(signal.Index);
            foreach (FeatureRow row in night.Rows)
            {
                Add(c, c == 0 ? row.FpzCz : row.PzOz, extractor.Compute(samples.AsSpan(row.Epoch * EpochSynthesizer.EpochSamples, EpochSynthesizer.EpochSamples)));
            }
        }
    }

    /// <summary>The <paramref name="quantile"/> (0–1, nearest rank) of one feature's errors.</summary>
    public double Quantile(int channel, int feature, double quantile)
    {
        List<double> sorted = [.. _errors[channel, feature].Order()];
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>A text table of median and 95th percentile per channel and feature.</summary>
    public string Report()
    {
        IReadOnlyList<string> names = Channels;
        var lines = new List<string> { $"epochs: {Count}; |log10 ratio| for bands/variance, relative error for mobility: median / p95" };
        for (int c = 0; c < 2; c++)
        {
            lines.Add($"{names[c]}: " + string.Join("  ", FeatureNames.Select((f, i) => $"{f} {Quantile(c, i, 0.5):F4}/{Quantile(c, i, 0.95):F4}")));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
