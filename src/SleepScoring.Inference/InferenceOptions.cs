namespace SleepScoring.Inference;

/// <summary>How the integer graphs run in ONNX Runtime. Every setting is checked when it is set.</summary>
public sealed record InferenceOptions
{
    private readonly int threads;
    private readonly int workers;
    private readonly int encoderBatchSize = 64;
    private readonly int sequenceBatchSize = 256;

    /// <summary>
    /// Intra-op threads per session; 0 = the cores shared out among the <see cref="Workers"/> (at
    /// least one). The integer graphs are many small operators, so one thread per session wastes
    /// least time waiting on the others.
    /// </summary>
    public int Threads
    {
        get => threads;
        init => threads = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), value, "Threads must be 0 (automatic) or positive.");
    }

    /// <summary>
    /// Sessions of each graph run side by side on their own batches (each renders, encodes and
    /// explains its own epochs); 0 = one per core. Each adds one session's memory.
    /// </summary>
    public int Workers
    {
        get => workers;
        init => workers = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Workers), value, "Workers must be 0 (one per core) or positive.");
    }

    /// <summary>Epoch images per encoder run (memory grows with it: attention maps are the largest outputs).</summary>
    public int EncoderBatchSize
    {
        get => encoderBatchSize;
        init => encoderBatchSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(EncoderBatchSize), value, "EncoderBatchSize must be positive.");
    }

    /// <summary>Windows per inter-epoch run.</summary>
    public int SequenceBatchSize
    {
        get => sequenceBatchSize;
        init => sequenceBatchSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(SequenceBatchSize), value, "SequenceBatchSize must be positive.");
    }

    /// <summary>Writes ONNX Runtime's per-node profile (JSON) with this file-name prefix; null = off.</summary>
    public string? ProfilePrefix { get; init; }

    /// <summary>The number of side-by-side sessions <see cref="Workers"/> stands for.</summary>
    public int EffectiveWorkers => Workers > 0 ? Workers : Environment.ProcessorCount;

    /// <summary>The intra-op threads per session <see cref="Threads"/> stands for.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Math.Max(1, Environment.ProcessorCount / EffectiveWorkers);
}
