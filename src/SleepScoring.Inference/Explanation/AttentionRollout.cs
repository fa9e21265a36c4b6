namespace SleepScoring.Inference.Explanation;

/// <summary>
/// Attention rollout (Abnar &amp; Zuidema, 2020) over the integer Shiftmax attention maps: per layer
/// the heads' mean, rows renormalised (the integer rows sum to about 127), half identity for the
/// residual path (Â = ½A + ½I), multiplied through the layers. The row of the token being
/// explained says how much each input token contributed to it.
/// </summary>
public static class AttentionRollout
{
    /// <summary>Share of the residual path in each rolled-out layer, Â = (1 − α)·A + α·I (Abnar &amp; Zuidema use ½).</summary>
    public const double DefaultResidualShare = 0.5;

    /// <summary>The rolled-out relevance of every token for query token <paramref name="query"/> of one item.</summary>
    public static double[] Relevance(AttentionMaps maps, int item, int query) => Relevance(maps, item, query, DefaultResidualShare, maps?.Layers.Count ?? 0);

    /// <summary>
    /// As above with the residual share α of each layer and only the last <paramref name="lastLayers"/>
    /// layers rolled out (1 with α = 0: the last layer's raw attention).
    /// </summary>
    public static double[] Relevance(AttentionMaps maps, int item, int query, double residualShare, int lastLayers)
    {
        ArgumentNullException.ThrowIfNull(maps);
        int t = maps.Tokens;
        if (query < 0 || query >= t)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query, $"Token index must be below {t}.");
        }

        // Only the query's row of the product is needed: r ← r·Â_L, …, r·Â_1 (last layer first).
        var row = new double[t];
        row[query] = 1;
        var next = new double[t];
        var layerRow = new double[t];
        for (int layer = maps.Layers.Count - 1; layer >= Math.Max(0, maps.Layers.Count - lastLayers); layer--)
        {
            ReadOnlySpan<byte> heads = maps.Item(layer, item);
            Array.Clear(next);
            for (int q = 0; q < t; q++)
            {
                if (row[q] == 0)
                {
                    continue;
                }

                MeanRow(heads, maps.Heads, t, q, layerRow);
                for (int k = 0; k < t; k++)
                {
                    next[k] += row[q] * (((1 - residualShare) * layerRow[k]) + (k == q ? residualShare : 0));
                }
            }

            (row, next) = (next, row);
        }

        return row;
    }

    /// <summary>
    /// Saliency of one epoch image: the CLS token's (token 0) rollout over the image tokens, laid
    /// out as [derivation, time segment] (token 1 + b·segments + s) and scaled so the largest cell is 1.
    /// </summary>
    public static float[,] EpochGrid(AttentionMaps maps, int item, int derivations, int segments) =>
        EpochGrid(maps, item, derivations, segments, DefaultResidualShare, maps?.Layers.Count ?? 0);

    /// <summary>The grid from <see cref="Relevance(AttentionMaps, int, int, double, int)"/> with the given rollout settings.</summary>
    public static float[,] EpochGrid(AttentionMaps maps, int item, int derivations, int segments, double residualShare, int lastLayers)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Tokens != 1 + (derivations * segments))
        {
            throw new ArgumentException($"{maps.Tokens} tokens cannot be CLS plus {derivations} derivations × {segments} segments.", nameof(maps));
        }

        double[] relevance = Relevance(maps, item, 0, residualShare, lastLayers);
        double max = relevance.Skip(1).DefaultIfEmpty(0).Max();
        var grid = new float[derivations, segments];
        for (int b = 0; b < derivations; b++)
        {
            for (int s = 0; s < segments; s++)
            {
                grid[b, s] = max > 0 ? (float)(relevance[1 + (b * segments) + s] / max) : 0f;
            }
        }

        return grid;
    }

    /// <summary>Influence of each window position on the centre epoch's stage (sums to 1; index = offset + window/2).</summary>
    public static float[] NeighbourInfluence(AttentionMaps maps, int item)
    {
        ArgumentNullException.ThrowIfNull(maps);
        double[] relevance = Relevance(maps, item, maps.Tokens / 2);
        double sum = relevance.Sum();
        return relevance.Select(r => sum > 0 ? (float)(r / sum) : 0f).ToArray();
    }

    private static void MeanRow(ReadOnlySpan<byte> heads, int headCount, int tokens, int query, double[] row)
    {
        Array.Clear(row);
        for (int h = 0; h < headCount; h++)
        {
            ReadOnlySpan<byte> values = heads.Slice((((h * tokens) + query) * tokens), tokens);
            double sum = 0;
            foreach (byte v in values)
            {
                sum += v;
            }

            for (int k = 0; k < tokens; k++)
            {
                row[k] += sum > 0 ? values[k] / sum / headCount : 1.0 / tokens / headCount;
            }
        }
    }
}
