using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Synthesis;

/// <summary>Collects |log10(synthetic/real)| per feature and channel, and mobility's relative error.</summary>
internal sealed class RealismTally
{
    public static readonly string[] Features = ["delta", "theta", "alpha", "beta", "gamma", "variance", "mobility"];

    private readonly List<double>[,] _errors = new List<double>[2, Features.Length];

    public RealismTally()
    {
        for (int c = 0; c < 2; c++)
        {
            for (int f = 0; f < Features.Length; f++)
            {
                _errors[c, f] = [];
            }
        }
    }

    public int Count => _errors[0, 0].Count;

    public void Add(int channel, in EpochFeatures real, in EpochFeatures synthetic)
    {
        for (int b = 0; b < EpochFeatures.BandCount; b++)
        {
            _errors[channel, b].Add(Math.Abs(Math.Log10(synthetic.Band(b) / real.Band(b))));
        }

        _errors[channel, 5].Add(Math.Abs(Math.Log10(synthetic.Variance / real.Variance)));
        _errors[channel, 6].Add(Math.Abs((synthetic.Mobility / real.Mobility) - 1));
    }

    /// <summary>The <paramref name="quantile"/> (0–1, nearest rank) of one feature's errors.</summary>
    public double Quantile(int channel, int feature, double quantile)
    {
        List<double> sorted = [.. _errors[channel, feature].Order()];
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public string Report()
    {
        string[] names = ["fpz_cz", "pz_oz"];
        var lines = new List<string> { $"epochs: {Count}; |log10 ratio| for bands/variance, relative error for mobility: median / p95" };
        for (int c = 0; c < 2; c++)
        {
            lines.Add($"{names[c]}: " + string.Join("  ", Features.Select((f, i) => $"{f} {Quantile(c, i, 0.5):F4}/{Quantile(c, i, 0.95):F4}")));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
