using SleepScoring.Analysis.Signals;

namespace SleepScoring.Synthesis;

/// <summary>
/// Target features for every epoch of a night: a table row where the epoch was scored, and for
/// unscored epochs (absent rows) a log-linear interpolation between the nearest scored
/// neighbours (or a copy of the single nearest one at the ends), so filler blends into its context.
/// </summary>
public static class FeatureFiller
{
    /// <summary>Features of channel <paramref name="channel"/> (0 Fpz-Cz, 1 Pz-Oz) for epochs 0 … count − 1.</summary>
    /// <exception cref="ArgumentException">The table has no rows.</exception>
    public static EpochFeatures[] Fill(NightFeatures night, int channel, int epochCount)
    {
        if (night.Rows.Count == 0)
        {
            throw new ArgumentException($"Feature table {night.Name} has no rows: nothing to synthesise from.", nameof(night));
        }

        EpochFeatures[] result = new EpochFeatures[epochCount];
        int next = 0;
        for (int e = 0; e < epochCount; e++)
        {
            while (next < night.Rows.Count && night.Rows[next].Epoch < e)
            {
                next++;
            }

            FeatureRow? after = next < night.Rows.Count ? night.Rows[next] : null;
            FeatureRow? before = next > 0 ? night.Rows[next - 1] : null;
            if (after is not null && after.Epoch == e)
            {
                result[e] = Of(after, channel);
            }
            else if (before is null || after is null)
            {
                result[e] = Of((before ?? after)!, channel);
            }
            else
            {
                double t = (double)(e - before.Epoch) / (after.Epoch - before.Epoch);
                result[e] = Blend(Of(before, channel), Of(after, channel), t);
            }
        }

        return result;
    }

    private static EpochFeatures Of(FeatureRow row, int channel) => channel == 0 ? row.FpzCz : row.PzOz;

    private static EpochFeatures Blend(EpochFeatures a, EpochFeatures b, double t)
    {
        static double Geo(double x, double y, double t) => Math.Exp(((1 - t) * Math.Log(x)) + (t * Math.Log(y)));
        return new EpochFeatures(
            Geo(a.Delta, b.Delta, t), Geo(a.Theta, b.Theta, t), Geo(a.Alpha, b.Alpha, t), Geo(a.Beta, b.Beta, t),
            Geo(a.Gamma, b.Gamma, t), Geo(a.Variance, b.Variance, t), Geo(a.Mobility, b.Mobility, t));
    }
}
