namespace SleepScoring.Training.Models;

/// <summary>
/// Geometry and sizes of the epoch encoder and the inter-epoch transformer. The image is
/// <see cref="ImageHeight"/> × <see cref="ImageWidth"/> uint8 pixels holding <see cref="Derivations"/>
/// derivations stacked vertically (each as strips of rows, one per view); tokens are (derivation × time segment) patches, so attention
/// over tokens is a derivation × time saliency grid.
/// </summary>
public sealed record ModelOptions
{
    /// <summary>Image height in pixels (all strips); default: the renderer's "small" preset, 2 × 32 rows.</summary>
    public int ImageHeight { get; init; } = 64;

    /// <summary>Image width in pixels (30 s); default: the renderer's "small" preset, 300 columns.</summary>
    public int ImageWidth { get; init; } = 300;

    /// <summary>Derivations stacked vertically in the image.</summary>
    public int Derivations { get; init; } = 2;

    /// <summary>Time segments per epoch (tokens per derivation): 15 → 2-s segments.</summary>
    public int Segments { get; init; } = 15;

    /// <summary>
    /// Width of the patch stem: each (derivation × segment) patch of pixels is projected to this many
    /// BatchNorm'd ReLU features before the projection to <see cref="Dim"/> (a per-patch MLP).
    /// </summary>
    public int StemChannels { get; init; } = 128;

    /// <summary>Token width (embedding dimension) of both transformers.</summary>
    public int Dim { get; init; } = 64;

    /// <summary>Attention heads.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>
    /// Width of one attention head; null: <see cref="Dim"/> / <see cref="Heads"/>. Set when heads are
    /// pruned (structured pruning keeps each head's width, so the attention is narrower than the tokens).
    /// </summary>
    public int? HeadWidth { get; init; }

    /// <summary>Width of one attention head.</summary>
    public int HeadSize => HeadWidth ?? (Dim / Heads);

    /// <summary>Width of Q, K, V and the attention output (all heads).</summary>
    public int AttentionWidth => Heads * HeadSize;

    /// <summary>Hidden width of the transformer MLPs.</summary>
    public int MlpDim { get; init; } = 128;

    /// <summary>Transformer layers of the epoch encoder.</summary>
    public int EncoderLayers { get; init; } = 4;

    /// <summary>Transformer layers of the inter-epoch model.</summary>
    public int SequenceLayers { get; init; } = 2;

    /// <summary>Epochs in the centred window of the inter-epoch model (odd).</summary>
    public int Window { get; init; } = 21;

    /// <summary>Dropout in attention and MLP outputs while training.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Dropout on the epoch embeddings entering the inter-epoch model while training.</summary>
    public double EmbeddingDropout { get; init; } = 0.2;

    /// <summary>Stage classes (W, N1, N2, N3, R).</summary>
    public int Classes { get; init; } = 5;

    /// <summary>Tokens of one epoch image (without the CLS token).</summary>
    public int Tokens => Derivations * Segments;

    /// <summary>Pixel rows of one patch ((one derivation, all its views)).</summary>
    public int PatchRows => ImageHeight / Derivations;

    /// <summary>Pixel columns of one patch (one time segment).</summary>
    public int PatchColumns => ImageWidth / Segments;

    /// <summary>Pixels of one patch, the stem's fan-in.</summary>
    public int PatchPixels => PatchRows * PatchColumns;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent value.</summary>
    public void Validate()
    {
        Require(Derivations > 0 && ImageHeight > 0 && ImageHeight % Derivations == 0, nameof(ImageHeight), ImageHeight, $"a positive multiple of {Derivations} derivations");
        Require(Segments > 0 && ImageWidth > 0 && ImageWidth % Segments == 0, nameof(ImageWidth), ImageWidth, $"a positive multiple of {Segments} segments");
        Require(StemChannels > 0, nameof(StemChannels), StemChannels, "positive");
        Require(Dim > 0 && Heads > 0 && (HeadWidth is not null || Dim % Heads == 0), nameof(Dim), Dim, $"a positive multiple of {nameof(Heads)} ({Heads})");
        Require(HeadWidth is null or > 0, nameof(HeadWidth), HeadWidth ?? 0, "positive");
        Require(MlpDim > 0, nameof(MlpDim), MlpDim, "positive");
        Require(Window >= 1 && Window % 2 == 1, nameof(Window), Window, "odd and positive (a centred window)");
        Require(EncoderLayers >= 1 && SequenceLayers >= 1, nameof(EncoderLayers), EncoderLayers, "at least one layer in each transformer");
        Require(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "in [0, 1)");
        Require(EmbeddingDropout is >= 0 and < 1, nameof(EmbeddingDropout), EmbeddingDropout, "in [0, 1)");
    }

    private static void Require(bool condition, string name, object value, string expectation)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} = {value} must be {expectation}.", name);
        }
    }
}
