using Microsoft.ML.OnnxRuntime;

using SleepScoring.Training.Models;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// The float graphs run the same way as the integer ones (same batching, same outputs requested,
/// same session settings), so the benchmark compares graphs, not plumbing.
/// </summary>
internal sealed class FloatGraphPair : IDisposable
{
    private const int BatchSize = 64;

    private readonly InferenceSession encoder;
    private readonly InferenceSession sequence;
    private readonly ModelOptions options;
    private readonly string[] encoderOutputs;
    private readonly string[] sequenceOutputs;

    /// <param name="profilePrefix">When given, each session writes ONNX Runtime's profile as <c>{prefix}-encoder_*.json</c> / <c>{prefix}-sequence_*.json</c>.</param>
    public FloatGraphPair(byte[] encoderModel, byte[] sequenceModel, int threads, ModelOptions options, string? profilePrefix = null)
    {
        encoder = Session(encoderModel, threads, profilePrefix is null ? null : $"{profilePrefix}-encoder");
        sequence = Session(sequenceModel, threads, profilePrefix is null ? null : $"{profilePrefix}-sequence");
        this.options = options;
        encoderOutputs = [.. encoder.OutputMetadata.Keys];
        sequenceOutputs = [.. sequence.OutputMetadata.Keys];
    }

    /// <summary>The settings of the service's integer sessions (<c>OnnxSessionFactory</c>), memory pattern off included.</summary>
    private static InferenceSession Session(byte[] model, int threads, string? profilePrefix)
    {
        using var settings = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            EnableMemoryPattern = false,
            EnableCpuMemArena = true,
        };
        if (profilePrefix is not null)
        {
            settings.ProfileOutputPathPrefix = profilePrefix;
            settings.EnableProfiling = true;
        }

        return new InferenceSession(model, settings);
    }

    public void Batch(byte[] night) => Encode(night, 0, BatchSize, new float[BatchSize * options.Dim]);

    public void Night(byte[] night)
    {
        int epochs = night.Length / (options.ImageHeight * options.ImageWidth);
        float[] embeddings = new float[epochs * options.Dim];
        for (int start = 0; start < epochs; start += BatchSize)
        {
            int n = Math.Min(BatchSize, epochs - start);
            Encode(night, start, n, embeddings.AsSpan(start * options.Dim, n * options.Dim));
        }

        int window = options.Window, half = window / 2, dim = options.Dim;
        float[] windows = new float[256 * window * dim];
        for (int start = 0; start < epochs; start += 256)
        {
            int n = Math.Min(256, epochs - start);
            Array.Clear(windows);
            for (int w = 0; w < n; w++)
            {
                for (int o = 0; o < window; o++)
                {
                    int e = start + w + o - half;
                    if (e >= 0 && e < epochs)
                    {
                        embeddings.AsSpan(e * dim, dim).CopyTo(windows.AsSpan(((w * window) + o) * dim, dim));
                    }
                }
            }

            using OrtValue input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, windows.AsMemory(0, n * window * dim), [n, window, dim]);
            using var run = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = sequence.Run(run, ["embeddings"], [input], sequenceOutputs);
        }
    }

    private void Encode(byte[] night, int start, int n, Span<float> embeddings)
    {
        int size = options.ImageHeight * options.ImageWidth;
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, night.AsMemory(start * size, n * size), [n, options.ImageHeight, options.ImageWidth]);
        using var run = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = encoder.Run(run, ["image"], [input], encoderOutputs);
        results[0].GetTensorDataAsSpan<float>().CopyTo(embeddings);
    }

    public void Dispose()
    {
        encoder.Dispose();
        sequence.Dispose();
    }
}
