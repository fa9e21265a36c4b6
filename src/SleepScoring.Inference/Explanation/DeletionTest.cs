using SleepScoring.Inference.Model;

namespace SleepScoring.Inference.Explanation;

/// <summary>One epoch for the deletion test: what the model saw, the stage it gave and its saliency grid.</summary>
public sealed record DeletionCase(byte[] Image, byte[] Window, int TargetClass, float[,] Saliency);

/// <summary>Mean drop of the stage probability when a fraction of the cells is blanked: by saliency rank, and at random.</summary>
public sealed record DeletionPoint(double Fraction, double SaliencyDrop, double RandomDrop)
{
    /// <summary>SaliencyDrop / RandomDrop (the acceptance asks for ≥ 2 at 20 %); infinity when random masking changes nothing.</summary>
    public double Ratio => RandomDrop > 0 ? SaliencyDrop / RandomDrop : double.PositiveInfinity;
}

/// <summary>
/// The faithfulness (deletion) test of the saliency: if the grid points where the model looks,
/// blanking its top cells must lower the predicted stage's probability more than blanking as many
/// random cells. Random cells are drawn with a seeded generator, per epoch and fraction.
/// </summary>
public static class DeletionTest
{
    public static IReadOnlyList<DeletionPoint> Measure(StagingModel model, IReadOnlyList<DeletionCase> cases, IReadOnlyList<double> fractions, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(fractions);
        var saliencyDrops = new double[fractions.Count];
        var randomDrops = new double[fractions.Count];
        var random = new Random(seed);
        foreach (DeletionCase c in cases)
        {
            int derivations = c.Saliency.GetLength(0), segments = c.Saliency.GetLength(1), cells = derivations * segments;
            int[] byRank = Enumerable.Range(0, cells).OrderByDescending(i => c.Saliency[i / segments, i % segments]).ThenBy(i => i).ToArray();
            bool[][] cellMasks = Enumerable.Range(0, cells).Select(i => Occlusion.CellMask(model, i / segments, i % segments)).ToArray();
            var masks = new List<bool[]>();
            foreach (double fraction in fractions)
            {
                int k = (int)Math.Round(fraction * cells);
                masks.Add(Union(cellMasks, byRank.Take(k)));
                masks.Add(Union(cellMasks, Enumerable.Range(0, cells).OrderBy(_ => random.Next()).Take(k)));
            }

            float[] p = Occlusion.TargetProbabilities(model, c.Image, c.Window, c.TargetClass, masks);
            for (int f = 0; f < fractions.Count; f++)
            {
                saliencyDrops[f] += p[0] - p[1 + (2 * f)];
                randomDrops[f] += p[0] - p[2 + (2 * f)];
            }
        }

        return fractions.Select((f, i) => new DeletionPoint(f, saliencyDrops[i] / cases.Count, randomDrops[i] / cases.Count)).ToArray();
    }

    private static bool[] Union(bool[][] cellMasks, IEnumerable<int> cells)
    {
        var union = new bool[cellMasks[0].Length];
        foreach (int cell in cells)
        {
            bool[] mask = cellMasks[cell];
            for (int p = 0; p < union.Length; p++)
            {
                union[p] |= mask[p];
            }
        }

        return union;
    }
}
