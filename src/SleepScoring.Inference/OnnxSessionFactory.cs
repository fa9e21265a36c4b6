using Microsoft.ML.OnnxRuntime;

using SleepScoring.Model;

namespace SleepScoring.Inference;

/// <summary>Session settings shared by both graphs, and the checks that a file is the graph we expect.</summary>
internal static class OnnxSessionFactory
{
    public static InferenceSession Create(byte[] model, InferenceOptions options)
    {
        using var settings = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.EffectiveThreads,
            InterOpNumThreads = 1,
            // The memory pattern pre-plans one block per input shape and session: ~35 MB more per
            // worker for no measurable speed (bench score, 8-h night: 1.2 CPU s either way).
            EnableMemoryPattern = false,
            EnableCpuMemArena = true,
        };
        if (options.ProfilePrefix is not null)
        {
            // The prefix must be set first: enabling profiling passes the current prefix to ONNX Runtime.
            settings.ProfileOutputPathPrefix = options.ProfilePrefix;
            settings.EnableProfiling = true;
        }

        try
        {
            return new InferenceSession(model, settings);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFileException($"ONNX Runtime cannot load the model: {e.Message}", e);
        }
    }

    /// <summary>The fixed dimensions of input <paramref name="name"/> after the batch axis.</summary>
    public static int[] InputDimensions(InferenceSession session, string name, int rank, string file)
    {
        if (!session.InputMetadata.TryGetValue(name, out NodeMetadata? input) || input.Dimensions.Length != rank)
        {
            throw new ModelFileException($"{file}: expected an input '{name}' of rank {rank}; the graph has {string.Join(", ", session.InputMetadata.Keys)}.");
        }

        int[] dims = input.Dimensions[1..];
        if (dims.Any(d => d <= 0))
        {
            throw new ModelFileException($"{file}: input '{name}' must have fixed sizes after the batch axis, has [{string.Join(", ", input.Dimensions)}].");
        }

        return dims;
    }

    /// <summary>A numeric metadata entry written by the exporter.</summary>
    public static double Metadata(InferenceSession session, string key, string file) =>
        session.ModelMetadata.CustomMetadataMap.TryGetValue(key, out string? text)
        && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new ModelFileException($"{file}: metadata '{key}' is missing or not a number.");

    /// <summary>The attention outputs attention_0 … attention_{n−1}.</summary>
    public static string[] AttentionOutputs(InferenceSession session) =>
        Enumerable.Range(0, session.OutputMetadata.Count).Select(i => $"attention_{i}").TakeWhile(session.OutputMetadata.ContainsKey).ToArray();
}
