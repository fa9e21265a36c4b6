namespace SleepScoring.Inference;

/// <summary>
/// Attention probabilities of every layer for a set of items (epochs or windows): layer l holds
/// items × heads × tokens × tokens bytes, each row summing to about 127 (Shiftmax at scale 2^−7).
/// </summary>
public sealed class AttentionMaps
{
    public AttentionMaps(int items, int heads, int tokens, IReadOnlyList<byte[]> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Items = items;
        Heads = heads;
        Tokens = tokens;
        Layers = layers;
        long size = (long)items * heads * tokens * tokens;
        if (layers.Any(l => l.LongLength != size))
        {
            throw new ArgumentException($"Each layer must hold {size} bytes.", nameof(layers));
        }
    }

    public int Items { get; }

    public int Heads { get; }

    public int Tokens { get; }

    /// <summary>Per layer: [item, head, query token, key token].</summary>
    public IReadOnlyList<byte[]> Layers { get; }

    /// <summary>The maps of one item in layer <paramref name="layer"/>: [head, query, key].</summary>
    public ReadOnlySpan<byte> Item(int layer, int item) =>
        Layers[layer].AsSpan(item * Heads * Tokens * Tokens, Heads * Tokens * Tokens);
}
