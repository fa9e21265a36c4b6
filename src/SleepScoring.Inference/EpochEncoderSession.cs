using Microsoft.ML.OnnxRuntime;

using SleepScoring.Model;

namespace SleepScoring.Inference;

/// <summary>
/// The integer epoch encoder in ONNX Runtime: uint8 epoch images [N, H, W] → uint8 embeddings
/// [N, Dim] (zero point 128, scale <see cref="EmbeddingScale"/>) and, on request, each layer's
/// attention maps for explanations. Runs in batches; the input buffer is reused between batches.
/// Not thread-safe: one instance per worker.
/// </summary>
public sealed class EpochEncoderSession : IDisposable
{
    private const string InputName = "image", EmbeddingName = "embedding";

    private readonly InferenceSession session;
    private readonly InferenceOptions options;
    private readonly string[] attentionNames;
    private readonly byte[] batchBuffer;

    private EpochEncoderSession(InferenceSession session, InferenceOptions options, string file)
    {
        this.session = session;
        this.options = options;
        int[] image = OnnxSessionFactory.InputDimensions(session, InputName, 3, file);
        ImageHeight = image[0];
        ImageWidth = image[1];
        if (!session.OutputMetadata.TryGetValue(EmbeddingName, out NodeMetadata? embedding) || embedding.Dimensions.Length != 2)
        {
            throw new ModelFileException($"{file}: expected an output '{EmbeddingName}' [batch, dim].");
        }

        EmbeddingSize = embedding.Dimensions[1];
        EmbeddingScale = OnnxSessionFactory.Metadata(session, "embedding_scale", file);
        attentionNames = OnnxSessionFactory.AttentionOutputs(session);
        if (attentionNames.Length > 0)
        {
            int[] dims = session.OutputMetadata[attentionNames[0]].Dimensions;
            Heads = dims[1];
            Tokens = dims[2];
        }

        batchBuffer = new byte[options.EncoderBatchSize * ImageHeight * ImageWidth];
    }

    public int ImageHeight { get; }

    public int ImageWidth { get; }

    public int EmbeddingSize { get; }

    /// <summary>Real value of one embedding step.</summary>
    public double EmbeddingScale { get; }

    /// <summary>Transformer layers whose attention the graph exposes.</summary>
    public int Layers => attentionNames.Length;

    public int Heads { get; }

    /// <summary>Tokens per image including CLS (token 0).</summary>
    public int Tokens { get; }

    public int ImageBytes => ImageHeight * ImageWidth;

    /// <summary>Loads the graph from a file.</summary>
    public static EpochEncoderSession Load(string path, InferenceOptions? options = null) =>
        Load(ModelPackage.ReadFile(path), options, Path.GetFileName(path));

    /// <summary>Loads the graph from bytes.</summary>
    public static EpochEncoderSession Load(byte[] model, InferenceOptions? options = null, string name = "epoch encoder")
    {
        options ??= new InferenceOptions();
        return new EpochEncoderSession(OnnxSessionFactory.Create(model, options), options, name);
    }

    /// <summary>
    /// Embeds <paramref name="count"/> images laid end to end in <paramref name="images"/> into
    /// <paramref name="embeddings"/> (count × Dim bytes); returns the attention maps when asked.
    /// </summary>
    public AttentionMaps? Encode(ReadOnlySpan<byte> images, int count, Span<byte> embeddings, bool withAttention)
    {
        if (images.Length != (long)count * ImageBytes)
        {
            throw new ArgumentException($"{count} images of {ImageHeight}×{ImageWidth} need {(long)count * ImageBytes} bytes, got {images.Length}.", nameof(images));
        }

        if (embeddings.Length != count * EmbeddingSize)
        {
            throw new ArgumentException($"{count} embeddings need {count * EmbeddingSize} bytes, got {embeddings.Length}.", nameof(embeddings));
        }

        int mapSize = Heads * Tokens * Tokens;
        byte[][]? maps = withAttention ? attentionNames.Select(_ => new byte[count * mapSize]).ToArray() : null;
        string[] outputs = withAttention ? [EmbeddingName, .. attentionNames] : [EmbeddingName];
        for (int start = 0; start < count; start += options.EncoderBatchSize)
        {
            int n = Math.Min(options.EncoderBatchSize, count - start);
            images.Slice(start * ImageBytes, n * ImageBytes).CopyTo(batchBuffer);
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batchBuffer.AsMemory(0, n * ImageBytes), [n, ImageHeight, ImageWidth]);
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, [InputName], [input], outputs);
            results[0].GetTensorDataAsSpan<byte>().CopyTo(embeddings.Slice(start * EmbeddingSize, n * EmbeddingSize));
            for (int l = 0; maps is not null && l < maps.Length; l++)
            {
                results[l + 1].GetTensorDataAsSpan<byte>().CopyTo(maps[l].AsSpan(start * mapSize, n * mapSize));
            }
        }

        return maps is null ? null : new AttentionMaps(count, Heads, Tokens, maps);
    }

    public void Dispose() => session.Dispose();
}
