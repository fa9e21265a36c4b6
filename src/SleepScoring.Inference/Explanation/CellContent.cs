using SleepScoring.Inference.Model;

namespace SleepScoring.Inference.Explanation;

/// <summary>
/// "Attention × input" for the saliency grid: each cell's attention-rollout relevance is weighted
/// by how much that cell of the model image differs from the flat trace a silent signal draws
/// (Σ |pixel − flat pixel| over the cell). Attention says where the model looked; the content
/// says whether there was anything there to see. Measured by the deletion test on held-out
/// subjects: 1.74× the random drop at 20 % of the cells, against 1.54× for rollout alone (README).
/// </summary>
public sealed class CellContent
{
    private readonly byte[] flat;
    private readonly int[] cellOfPixel;
    private readonly int bands;
    private readonly int segments;

    /// <summary>Precomputes, once per model, the flat image and which saliency cell each pixel belongs to.</summary>
    public CellContent(StagingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        bands = model.Card.Input.Derivations.Count;
        segments = model.Card.Input.Segments;
        flat = Occlusion.FlatImage(model);
        cellOfPixel = new int[flat.Length];
        Array.Fill(cellOfPixel, -1);
        for (int c = 0; c < bands * segments; c++)
        {
            bool[] mask = Occlusion.CellMask(model, c / segments, c % segments);
            for (int p = 0; p < mask.Length; p++)
            {
                if (mask[p])
                {
                    cellOfPixel[p] = c;
                }
            }
        }
    }

    /// <summary>Σ |pixel − flat pixel| per cell [band, segment] of one model image.</summary>
    public long[,] Measure(ReadOnlySpan<byte> image)
    {
        if (image.Length != flat.Length)
        {
            throw new ArgumentException($"A model image has {flat.Length} pixels; got {image.Length}.", nameof(image));
        }

        var content = new long[bands, segments];
        for (int p = 0; p < image.Length; p++)
        {
            int c = cellOfPixel[p];
            if (c >= 0)
            {
                content[c / segments, c % segments] += Math.Abs(image[p] - flat[p]);
            }
        }

        return content;
    }

    /// <summary>Weights <paramref name="grid"/> by the content of <paramref name="image"/>'s cells, in place, and rescales its largest cell to 1.</summary>
    public void Weight(float[,] grid, ReadOnlySpan<byte> image)
    {
        ArgumentNullException.ThrowIfNull(grid);
        long[,] content = Measure(image);
        float max = 0;
        for (int b = 0; b < bands; b++)
        {
            for (int s = 0; s < segments; s++)
            {
                grid[b, s] *= content[b, s];
                max = Math.Max(max, grid[b, s]);
            }
        }

        for (int b = 0; max > 0 && b < bands; b++)
        {
            for (int s = 0; s < segments; s++)
            {
                grid[b, s] /= max;
            }
        }
    }
}
