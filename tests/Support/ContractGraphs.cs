using Google.Protobuf;

using SleepScoring.Onnx;

namespace SleepScoring.Tests.Support;

/// <summary>
/// Tiny graphs with the real models' input/output contract whose outputs are known copies of
/// their inputs, so the batching and window assembly can be checked value by value.
/// </summary>
internal static class ContractGraphs
{
    public const int Height = 4, Width = 8, Dim = 3, Window = 5;

    /// <summary>embedding = image[:, 0, 0:dim]; attention_0 = image[:, 0:tokens, 0:tokens] as [N, 1, tokens, tokens].</summary>
    public static byte[] Encoder(int height = Height, int width = Width, int dim = Dim, int tokens = 2)
    {
        var g = new OnnxGraphBuilder("contract_encoder");
        string image = g.Input("image", TensorElementType.UInt8, [null, height, width], "batch");
        string axes = g.Initializer<long>("axes", [1, 2], 2);
        string row = g.Node("Slice", image, g.Initializer<long>("s0", [0, 0], 2), g.Initializer<long>("e0", [1, dim], 2), axes);
        string embedding = g.Name(g.Node("Squeeze", row, g.Initializer<long>("sq", [1], 1)), "embedding");
        string corner = g.Node("Slice", image, g.Initializer<long>("s1", [0, 0], 2), g.Initializer<long>("e1", [tokens, tokens], 2), axes);
        string attention = g.Name(g.Node("Unsqueeze", corner, g.Initializer<long>("us", [1], 1)), "attention_0");
        g.Output(embedding, TensorElementType.UInt8, [null, dim], "batch");
        g.Output(attention, TensorElementType.UInt8, [null, 1, tokens, tokens], "batch");
        return g.Build("test", new Dictionary<string, string> { ["embedding_scale"] = "0.02" }).ToByteArray();
    }

    /// <summary>probabilities = int32(window[:, centre, 0:classes]); attention_0[n, 0, q, k] = window[n, k, 0].</summary>
    public static byte[] Sequence(int window = Window, int dim = Dim, int classes = Dim)
    {
        var g = new OnnxGraphBuilder("contract_sequence");
        string input = g.Input("embeddings", TensorElementType.UInt8, [null, window, dim], "batch");
        string centre = g.Node("Gather", [input, g.Scalar("c", (long)(window / 2))], OnnxAttribute.Int("axis", 1));
        centre = g.Node("Slice", centre, g.Initializer<long>("cs", [0], 1), g.Initializer<long>("ce", [classes], 1), g.Initializer<long>("ca", [1], 1));
        string probabilities = g.Name(g.Node("Cast", [centre], OnnxAttribute.Int("to", (long)TensorElementType.Int32)), "probabilities");
        string first = g.Node("Gather", [input, g.Scalar("zero", 0L)], OnnxAttribute.Int("axis", 2));
        string row = g.Node("Unsqueeze", first, g.Initializer<long>("us", [1, 2], 2));
        string attention = g.Name(g.Node("Tile", row, g.Initializer<long>("reps", [1, 1, window, 1], 4)), "attention_0");
        g.Output(probabilities, TensorElementType.Int32, [null, classes], "batch");
        g.Output(attention, TensorElementType.UInt8, [null, 1, window, window], "batch");
        return g.Build("test", new Dictionary<string, string> { ["probability_scale"] = "3.0517578125E-05" }).ToByteArray();
    }
}
