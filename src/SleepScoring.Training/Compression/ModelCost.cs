using SleepScoring.Training.Models;

namespace SleepScoring.Training.Compression;

/// <summary>
/// Multiply-accumulates of the graphs per scored epoch, counted as the exported graphs compute
/// them: the encoder on one image (patch stem, projection, every layer, the last layer for the
/// CLS token only after its attention map) and the inter-epoch model on one window (its last layer
/// for the centre epoch only, then the stage head). Matrix products only; norms, softmax and GELU
/// are a few operations per element and not counted.
/// </summary>
public static class ModelCost
{
    /// <summary>MACs of the encoder for one epoch image.</summary>
    public static long EncoderMacs(ModelOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        long tokens = o.Tokens;
        long stem = tokens * o.PatchPixels * o.StemChannels, patch = tokens * o.StemChannels * o.Dim;
        return stem + patch + Stack(o, tokens + 1, o.EncoderLayers);
    }

    /// <summary>MACs of the inter-epoch model for one window (one scored epoch).</summary>
    public static long SequenceMacs(ModelOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return Stack(o, o.Window, o.SequenceLayers) + ((long)o.Dim * o.Classes);
    }

    /// <summary>Both graphs for one scored epoch.</summary>
    public static long MacsPerEpoch(ModelOptions o) => EncoderMacs(o) + SequenceMacs(o);

    private static long Stack(ModelOptions o, long t, int layers)
    {
        long d = o.Dim, a = o.AttentionWidth, m = o.MlpDim;
        long attention = (t * d * 3 * a) + (t * t * a);
        long full = attention + (t * t * a) + (t * a * d) + (2 * t * d * m);
        long last = attention + (t * a) + (a * d) + (2 * d * m);
        return ((layers - 1) * full) + last;
    }
}
