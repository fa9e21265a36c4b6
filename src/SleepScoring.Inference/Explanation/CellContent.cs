using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    private readonly (int Start, int Length, int Cell)[] runs;
    private readonly int derivations;
    private readonly int segments;

    /// <summary>Precomputes, once per model, the flat image and which saliency cell each pixel belongs to.</summary>
    public CellContent(StagingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        derivations = model.Card.Input.Derivations.Count;
        segments = model.Card.Input.Segments;
        flat = Occlusion.FlatImage(model);
        int[] cellOfPixel = new int[flat.Length];
        Array.Fill(cellOfPixel, -1);
        for (int c = 0; c < derivations * segments; c++)
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

        // Runs of consecutive pixels in one cell (a cell's row segment): the per-epoch sum then
        // works on contiguous spans instead of looking every pixel's cell up.
        var found = new List<(int Start, int Length, int Cell)>();
        for (int p = 0; p < cellOfPixel.Length;)
        {
            int q = p + 1;
            while (q < cellOfPixel.Length && cellOfPixel[q] == cellOfPixel[p])
            {
                q++;
            }

            if (cellOfPixel[p] >= 0)
            {
                found.Add((p, q - p, cellOfPixel[p]));
            }

            p = q;
        }

        runs = [.. found];
    }

    /// <summary>Σ |pixel − flat pixel| per cell [derivation, segment] of one model image.</summary>
    public long[,] Measure(ReadOnlySpan<byte> image)
    {
        if (image.Length != flat.Length)
        {
            throw new ArgumentException($"A model image has {flat.Length} pixels; got {image.Length}.", nameof(image));
        }

        var content = new long[derivations, segments];
        foreach ((int start, int length, int cell) in runs)
        {
            content[cell / segments, cell % segments] += AbsoluteDifferenceSum(image.Slice(start, length), flat.AsSpan(start, length));
        }

        return content;
    }

    /// <summary>Σ |a − b| over two equally long byte spans (PSADBW on 16 bytes at a time where SSE2 is available).</summary>
    internal static long AbsoluteDifferenceSum(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long sum = 0;
        int i = 0;
        if (Sse2.IsSupported)
        {
            for (; i + 16 <= a.Length; i += 16)
            {
                var x = Vector128.Create(a.Slice(i, 16));
                var y = Vector128.Create(b.Slice(i, 16));
                Vector128<ushort> pair = Sse2.SumAbsoluteDifferences(x, y);
                sum += pair.GetElement(0) + pair.GetElement(4);
            }
        }

        for (; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum;
    }

    /// <summary>Weights <paramref name="grid"/> by the content of <paramref name="image"/>'s cells, in place, and rescales its largest cell to 1.</summary>
    public void Weight(float[,] grid, ReadOnlySpan<byte> image)
    {
        ArgumentNullException.ThrowIfNull(grid);
        long[,] content = Measure(image);
        float max = 0;
        for (int b = 0; b < derivations; b++)
        {
            for (int s = 0; s < segments; s++)
            {
                grid[b, s] *= content[b, s];
                max = Math.Max(max, grid[b, s]);
            }
        }

        for (int b = 0; max > 0 && b < derivations; b++)
        {
            for (int s = 0; s < segments; s++)
            {
                grid[b, s] /= max;
            }
        }
    }
}
