using Microsoft.ML.OnnxRuntime;

using SleepScoring.Model;

namespace SleepScoring.Inference;

/// <summary>
/// The integer inter-epoch transformer in ONNX Runtime, slid over a whole night: for every epoch
/// a window of <see cref="Window"/> embeddings centred on it (positions beyond the night hold the
/// zero embedding, byte 128, as in training) → 16-bit stage probabilities of the centre epoch.
/// Not thread-safe: one instance per worker.
/// </summary>
public sealed class InterEpochSession : IDisposable
{
    private const string InputName = "embeddings", ProbabilityName = "probabilities";
    private const byte PaddingEmbedding = 128;

    private readonly InferenceSession session;
    private readonly InferenceOptions options;
    private readonly string[] attentionNames;
    private readonly byte[] batchBuffer;

    private InterEpochSession(InferenceSession session, InferenceOptions options, string file)
    {
        this.session = session;
        this.options = options;
        int[] dims = OnnxSessionFactory.InputDimensions(session, InputName, 3, file);
        Window = dims[0];
        EmbeddingSize = dims[1];
        if (Window % 2 == 0)
        {
            throw new ModelFileException($"{file}: the window ({Window}) must be odd so that one epoch is its centre.");
        }

        if (!session.OutputMetadata.TryGetValue(ProbabilityName, out NodeMetadata? probabilities) || probabilities.Dimensions.Length != 2)
        {
            throw new ModelFileException($"{file}: expected an output '{ProbabilityName}' [batch, classes].");
        }

        Classes = probabilities.Dimensions[1];
        ProbabilityScale = OnnxSessionFactory.Metadata(session, "probability_scale", file);
        attentionNames = OnnxSessionFactory.AttentionOutputs(session);
        Heads = attentionNames.Length > 0 ? session.OutputMetadata[attentionNames[0]].Dimensions[1] : 0;
        batchBuffer = new byte[options.SequenceBatchSize * Window * EmbeddingSize];
    }

    /// <summary>Epochs per window (odd); the centre is <see cref="Window"/> / 2.</summary>
    public int Window { get; }

    public int EmbeddingSize { get; }

    public int Classes { get; }

    /// <summary>Real value of one probability step (2^−15).</summary>
    public double ProbabilityScale { get; }

    public int Layers => attentionNames.Length;

    public int Heads { get; }

    /// <summary>Windows per run (<see cref="InferenceOptions.SequenceBatchSize"/>).</summary>
    public int BatchSize => options.SequenceBatchSize;

    public static InterEpochSession Load(string path, InferenceOptions? options = null) =>
        Load(ModelPackage.ReadFile(path), options, Path.GetFileName(path));

    public static InterEpochSession Load(byte[] model, InferenceOptions? options = null, string name = "inter-epoch model")
    {
        options ??= new InferenceOptions();
        return new InterEpochSession(OnnxSessionFactory.Create(model, options), options, name);
    }

    /// <summary>
    /// Stages every epoch of a night from its embeddings (epochs × Dim bytes, in time order):
    /// writes epochs × Classes integer probabilities; returns the windows' attention when asked.
    /// </summary>
    public AttentionMaps? StageNight(ReadOnlySpan<byte> embeddings, int epochs, Span<int> probabilities, bool withAttention)
    {
        if (embeddings.Length != epochs * EmbeddingSize)
        {
            throw new ArgumentException($"{epochs} embeddings need {epochs * EmbeddingSize} bytes, got {embeddings.Length}.", nameof(embeddings));
        }

        if (probabilities.Length != epochs * Classes)
        {
            throw new ArgumentException($"{epochs} epochs need {epochs * Classes} probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        byte[][]? maps = withAttention ? NewMaps(epochs) : null;
        for (int start = 0; start < epochs; start += options.SequenceBatchSize)
        {
            StageRange(embeddings, epochs, start, Math.Min(options.SequenceBatchSize, epochs - start), probabilities, maps);
        }

        return maps is null ? null : new AttentionMaps(epochs, Heads, Window, maps);
    }

    /// <summary>Per layer, a zeroed array for the attention maps of <paramref name="epochs"/> windows (see <see cref="StageRange"/>).</summary>
    public byte[][] NewMaps(int epochs) => [.. attentionNames.Select(_ => new byte[epochs * Heads * Window * Window])];

    /// <summary>
    /// Stages the <paramref name="count"/> (at most <see cref="InferenceOptions.SequenceBatchSize"/>) epochs
    /// from <paramref name="first"/> of a night, as <see cref="StageNight"/> does for them: writes their
    /// rows of the night's <paramref name="probabilities"/> and, when <paramref name="maps"/> (from
    /// <see cref="NewMaps"/>) is given, their attention. Sessions can stage disjoint ranges side by side.
    /// </summary>
    public void StageRange(ReadOnlySpan<byte> embeddings, int epochs, int first, int count, Span<int> probabilities, byte[][]? maps)
    {
        if (embeddings.Length != epochs * EmbeddingSize || probabilities.Length != epochs * Classes)
        {
            throw new ArgumentException($"{epochs} epochs need {epochs * EmbeddingSize} embedding bytes and {epochs * Classes} probabilities; got {embeddings.Length} and {probabilities.Length}.", nameof(embeddings));
        }

        if (first < 0 || count < 0 || count > options.SequenceBatchSize || first + count > epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Epochs {first}…{first + count - 1} are not a batch of at most {options.SequenceBatchSize} of a night of {epochs}.");
        }

        if (maps is not null && (maps.Length != Layers || maps.Any(m => m.Length != epochs * Heads * Window * Window)))
        {
            throw new ArgumentException($"The maps must be {Layers} layer(s) of {epochs * Heads * Window * Window} bytes (see {nameof(NewMaps)}).", nameof(maps));
        }

        int windowBytes = Window * EmbeddingSize;
        for (int w = 0; w < count; w++)
        {
            FillWindow(embeddings, epochs, first + w, batchBuffer.AsSpan(w * windowBytes, windowBytes));
        }

        RunBatch(count, probabilities.Slice(first * Classes, count * Classes), maps, first * Heads * Window * Window);
    }

    /// <summary>
    /// Stages explicit windows (count × Window × Dim bytes, e.g. one epoch's window with its centre
    /// embedding replaced for an occlusion test): count × Classes integer probabilities of the centres.
    /// </summary>
    public void StageWindows(ReadOnlySpan<byte> windows, int count, Span<int> probabilities)
    {
        int windowBytes = Window * EmbeddingSize;
        if (windows.Length != count * windowBytes || probabilities.Length != count * Classes)
        {
            throw new ArgumentException($"{count} windows need {count * windowBytes} bytes and {count * Classes} probabilities; got {windows.Length} and {probabilities.Length}.", nameof(windows));
        }

        for (int start = 0; start < count; start += options.SequenceBatchSize)
        {
            int n = Math.Min(options.SequenceBatchSize, count - start);
            windows.Slice(start * windowBytes, n * windowBytes).CopyTo(batchBuffer);
            RunBatch(n, probabilities.Slice(start * Classes, n * Classes), null, 0);
        }
    }

    /// <summary>
    /// The window of night embeddings centred on <paramref name="centre"/> (Window × Dim bytes), as
    /// the model reads it: positions beyond the night hold the zero-point embedding.
    /// </summary>
    public void FillWindow(ReadOnlySpan<byte> embeddings, int epochs, int centre, Span<byte> window)
    {
        if (window.Length != Window * EmbeddingSize || embeddings.Length < epochs * EmbeddingSize)
        {
            throw new ArgumentException($"A window needs {Window * EmbeddingSize} bytes and {epochs} embeddings {epochs * EmbeddingSize}; got {window.Length} and {embeddings.Length}.", nameof(window));
        }

        for (int o = 0; o < Window; o++)
        {
            int epoch = centre + o - (Window / 2);
            Span<byte> slot = window.Slice(o * EmbeddingSize, EmbeddingSize);
            if (epoch >= 0 && epoch < epochs)
            {
                embeddings.Slice(epoch * EmbeddingSize, EmbeddingSize).CopyTo(slot);
            }
            else
            {
                slot.Fill(PaddingEmbedding);
            }
        }
    }

    public void Dispose() => session.Dispose();

    /// <summary>Runs the first <paramref name="n"/> windows of the batch buffer.</summary>
    private void RunBatch(int n, Span<int> probabilities, byte[][]? maps, int mapOffset)
    {
        string[] outputs = maps is not null ? [ProbabilityName, .. attentionNames] : [ProbabilityName];
        int mapSize = Heads * Window * Window;
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batchBuffer.AsMemory(0, n * Window * EmbeddingSize), [n, Window, EmbeddingSize]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, [InputName], [input], outputs);
        results[0].GetTensorDataAsSpan<int>().CopyTo(probabilities);
        for (int l = 0; maps is not null && l < maps.Length; l++)
        {
            results[l + 1].GetTensorDataAsSpan<byte>().CopyTo(maps[l].AsSpan(mapOffset, n * mapSize));
        }
    }
}
