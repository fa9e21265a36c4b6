namespace SleepScoring.Synthesis;

/// <summary>
/// Operations on a one-sided power spectrum p[k] (any scale) over <see cref="SpectralRegions"/>:
/// per-region scaling, the mobility a spectrum implies, and the beta/gamma tilt that sets it.
/// </summary>
internal static class SpectralShaping
{
    private const double MaxTilt = 6;
    private const int FirstTilted = 4; // beta and gamma regions
    private const int BlockBins = 16;

    /// <summary>Sum of p over each region, times <paramref name="scale"/>.</summary>
    public static void RegionPowers(SpectralRegions regions, ReadOnlySpan<double> p, Span<double> powers, double scale)
    {
        powers.Clear();
        for (int k = 1; k < p.Length; k++)
        {
            powers[regions.RegionOf[k]] += p[k];
        }

        for (int r = 0; r < powers.Length; r++)
        {
            powers[r] *= scale;
        }
    }

    /// <summary>Scales each region so that its integral (Σ p·df) equals <paramref name="wanted"/>.</summary>
    public static void ScaleRegions(SpectralRegions regions, Span<double> p, ReadOnlySpan<double> wanted)
    {
        Span<double> have = stackalloc double[SpectralRegions.Count];
        RegionPowers(regions, p, have, regions.Resolution);
        for (int k = 1; k < p.Length; k++)
        {
            int r = regions.RegionOf[k];
            p[k] *= have[r] > 0 ? wanted[r] / have[r] : 0;
        }
    }

    /// <summary>Hjorth mobility of a signal with one-sided power p: sqrt(Σ 4 sin²(πk/N)·p / Σ p).</summary>
    public static double Mobility(SpectralRegions regions, ReadOnlySpan<double> p)
    {
        double weighted = 0, total = 0;
        for (int k = 1; k < p.Length; k++)
        {
            weighted += regions.DifferenceWeight[k] * p[k];
            total += p[k];
        }

        return total > 0 ? Math.Sqrt(weighted / total) : 0;
    }

    /// <summary>
    /// Tilts the beta and gamma regions by exp(t·(f − centre)/width), each keeping its power, with
    /// t chosen so that the mobility of p becomes <paramref name="goal"/>. Mobility grows
    /// monotonically with t (power moves up in frequency inside a region), so bisection finds t;
    /// it runs on 16-bin blocks and the tilt is bounded, so extreme goals get the nearest shape.
    /// Returns the power gain per bin in <paramref name="gains"/>, applies it to p, and tells whether the goal was within reach.
    /// </summary>
    public static bool MatchMobility(SpectralRegions regions, Span<double> p, double goal, Span<double> gains)
    {
        int n = p.Length;
        double untilted = 0, total = 0;
        double[] regionPower = new double[SpectralRegions.Count];
        int blocks = (n / BlockBins) + SpectralRegions.Count + 2;
        var block = new Blocks(new double[blocks], new double[blocks], new double[blocks], new int[blocks]);
        int used = 0, current = -1;
        for (int k = 1; k < n; k++)
        {
            int r = regions.RegionOf[k];
            total += p[k];
            if (r < FirstTilted)
            {
                untilted += regions.DifferenceWeight[k] * p[k];
                continue;
            }

            regionPower[r] += p[k];
            if (current < 0 || block.Region[current] != r || (k % BlockBins) == 0)
            {
                current = used++;
                block.Region[current] = r;
                block.Offset[current] = Offset(regions, k, r);
            }

            block.Power[current] += p[k];
            block.Weight[current] += regions.DifferenceWeight[k] * p[k];
        }

        double goalWeighted = goal * goal * total;
        double low = -MaxTilt, high = MaxTilt;
        for (int i = 0; i < 22; i++) // tilt to ±6·2⁻²¹
        {
            double mid = (low + high) / 2;
            if (TiltedWeight(block, used, regionPower, mid) + untilted < goalWeighted)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        double tilt = (low + high) / 2;
        bool reachable = Math.Abs(tilt) < MaxTilt - 0.01;
        Span<double> after = stackalloc double[SpectralRegions.Count];
        for (int k = 1; k < n; k++)
        {
            int r = regions.RegionOf[k];
            gains[k] = r >= FirstTilted ? Math.Exp(tilt * Offset(regions, k, r)) : 1;
            after[r] += p[k] * gains[k];
        }

        gains[0] = 1;
        for (int k = 1; k < n; k++)
        {
            int r = regions.RegionOf[k];
            if (r >= FirstTilted)
            {
                gains[k] *= after[r] > 0 ? regionPower[r] / after[r] : 1;
            }

            p[k] *= gains[k];
        }

        return reachable;
    }

    private static double TiltedWeight(Blocks block, int used, double[] regionPower, double t)
    {
        Span<double> power = stackalloc double[SpectralRegions.Count];
        Span<double> weight = stackalloc double[SpectralRegions.Count];
        for (int b = 0; b < used; b++)
        {
            double e = Math.Exp(t * block.Offset[b]);
            power[block.Region[b]] += block.Power[b] * e;
            weight[block.Region[b]] += block.Weight[b] * e;
        }

        double sum = 0;
        for (int r = FirstTilted; r < SpectralRegions.Count; r++)
        {
            sum += power[r] > 0 ? regionPower[r] * weight[r] / power[r] : 0;
        }

        return sum;
    }

    private readonly record struct Blocks(double[] Power, double[] Weight, double[] Offset, int[] Region);

    private static double Offset(SpectralRegions regions, int k, int region) =>
        (regions.Frequency[k] - regions.Centre[region]) / regions.Width[region];
}
