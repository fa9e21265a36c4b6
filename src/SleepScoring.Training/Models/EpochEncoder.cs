using SleepScoring.Training.Quantization;
using SleepScoring.Training.Training;

using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Models;

/// <summary>
/// The small ViT that reads one uint8 epoch image [N, H, W] and returns a
/// <see cref="ModelOptions.Dim"/>-d epoch embedding (the CLS token after a final LayerNorm).
/// A patch stem — each non-overlapping ((derivation × time segment)) patch of pixels through a
/// linear layer with BatchNorm and ReLU, then a linear projection to the token width — makes token
/// b·T + t of derivation b, segment t. Why not a convolutional stem: it scored lower in the same
/// cross-validation (71.0 % vs 73.4 %, README) and its full-resolution integer activations made the
/// integer graph ~6× slower than the float one (docs/integer-runtime.md).
/// </summary>
public sealed class EpochEncoder : nn.Module<Tensor, Tensor>
{
    // Static, so the collector never finalizes it while a native call reads it.
    private static readonly Scalar PixelZeroPoint = 128.0.ToScalar();
    private static readonly Scalar MinusZeroPoint = (-128.0).ToScalar();
    private readonly ConvBatchNormRelu stem;
    private readonly Conv2d patch;
    private readonly Parameter cls;
    private readonly Parameter position;
    private readonly ModuleList<TransformerLayer> layers;
    private readonly LayerNorm norm;
    private FakeQuantization? quantization;

    /// <summary>Builds the encoder for <paramref name="options"/> (validated).</summary>
    public EpochEncoder(ModelOptions options)
        : base(nameof(EpochEncoder))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        stem = new ConvBatchNormRelu("stem", 1, options.StemChannels, options.PatchRows, options.PatchColumns);
        patch = nn.Conv2d(options.StemChannels, options.Dim, 1);
        cls = new Parameter(nn.init.normal_(empty(1, 1, options.Dim), std: 0.02));
        position = new Parameter(nn.init.normal_(empty(1, options.Tokens + 1, options.Dim), std: 0.02));
        layers = nn.ModuleList(Enumerable.Range(0, options.EncoderLayers)
            .Select(i => new TransformerLayer($"layer{i}", options)).ToArray());
        norm = nn.LayerNorm(options.Dim);
        RegisterComponents();
    }

    /// <summary>The geometry and sizes this encoder was built for.</summary>
    public ModelOptions Options { get; }

    /// <summary>
    /// Quantization-aware fine-tuning: rounds the stem output, every layer's 8-bit points and the
    /// embedding to the integer graph's grids (see <see cref="FakeQuantization"/>); null: float.
    /// </summary>
    public FakeQuantization? Quantization
    {
        get => quantization;
        set
        {
            quantization = value;
            TransformerLayer.SetQuantization(layers, value);
        }
    }

    /// <summary>Epoch embeddings [N, Dim] of uint8 (or float 0–255) images [N, H, W].</summary>
    public override Tensor forward(Tensor input)
    {
        (Tensor embedding, IReadOnlyList<Tensor> attention) = ForwardWithAttention(input);
        foreach (Tensor map in attention)
        {
            map.Dispose();
        }

        return embedding;
    }

    /// <summary>The patch stem's ReLU features [N, StemChannels, Derivations, Segments] of uint8 (or float 0–255) images [N, H, W].</summary>
    internal Tensor StemFeatures(Tensor input)
    {
        using var scope = NewDisposeScope();
        // uint8 with zero point 128, as the integer runtime will see it.
        Tensor pixels = input.to_type(ScalarType.Float32).add(MinusZeroPoint, TorchScalars.One).div_(PixelZeroPoint);
        return stem.forward(pixels.unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Embeddings [N, Dim] and, per layer, the attention probabilities [N, heads, 1 + B·T, 1 + B·T]
    /// (token 0 is CLS; token 1 + b·T + t is derivation b, segment t) for explanations.
    /// </summary>
    public (Tensor Embedding, IReadOnlyList<Tensor> Attention) ForwardWithAttention(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 3 || input.shape[1] != Options.ImageHeight || input.shape[2] != Options.ImageWidth)
        {
            throw new ArgumentException($"Epoch images must be [N, {Options.ImageHeight}, {Options.ImageWidth}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        using var scope = NewDisposeScope();
        Tensor features = StemFeatures(input);
        if (quantization is not null)
        {
            features = quantization.Activation("stem", features);
        }

        Tensor tokens = patch.forward(features).flatten(2).transpose(1, 2);
        long batch = tokens.shape[0];
        Tensor x = cat([cls.expand(batch, 1, Options.Dim), tokens], 1).add(position, TorchScalars.One);
        (x, IReadOnlyList<Tensor> attention) = TransformerLayer.RunStack(layers, x);

        Tensor embedding = norm.forward(x).select(1, 0);
        if (quantization is not null)
        {
            embedding = quantization.Activation("final", embedding);
        }

        return (embedding.MoveToOuterDisposeScope(), attention);
    }
}
