namespace SleepScoring.Inference;

/// <summary>How the integer graphs run in ONNX Runtime.</summary>
public sealed record InferenceOptions
{
    /// <summary>Intra-op threads per session; 0 = one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Epoch images per encoder run (memory grows with it: attention maps are the largest outputs).</summary>
    public int EncoderBatchSize { get; init; } = 64;

    /// <summary>Windows per inter-epoch run.</summary>
    public int SequenceBatchSize { get; init; } = 256;

    /// <summary>Writes ONNX Runtime's per-node profile (JSON) with this file-name prefix; null = off.</summary>
    public string? ProfilePrefix { get; init; }

    internal int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
