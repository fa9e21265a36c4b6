using SleepScoring.Model;

namespace SleepScoring.Inference.Tests;

public sealed class EpochEncoderSessionTests
{
    [Fact]
    public void Encode_returns_each_image_embedding_and_attention_across_batches()
    {
        using EpochEncoderSession session = EpochEncoderSession.Load(ContractGraphs.Encoder(), new InferenceOptions { EncoderBatchSize = 16, Threads = 1 });
        const int count = 37; // three batches, the last one partial
        int size = ContractGraphs.Height * ContractGraphs.Width;
        byte[] images = Enumerable.Range(0, count * size).Select(i => (byte)((i * 7) + (i / size))).ToArray();
        byte[] embeddings = new byte[count * ContractGraphs.Dim];

        AttentionMaps? maps = session.Encode(images, count, embeddings, withAttention: true);

        Assert.Equal((ContractGraphs.Height, ContractGraphs.Width, ContractGraphs.Dim), (session.ImageHeight, session.ImageWidth, session.EmbeddingSize));
        Assert.Equal(0.02, session.EmbeddingScale);
        Assert.NotNull(maps);
        for (int n = 0; n < count; n++)
        {
            // The contract graph copies image row 0, columns 0–2, and the 2×2 top-left corner.
            Assert.Equal(images.AsSpan(n * size, ContractGraphs.Dim).ToArray(), embeddings.AsSpan(n * ContractGraphs.Dim, ContractGraphs.Dim).ToArray());
            byte[] corner = [images[n * size], images[(n * size) + 1], images[(n * size) + ContractGraphs.Width], images[(n * size) + ContractGraphs.Width + 1]];
            Assert.Equal(corner, maps.Item(0, n).ToArray());
        }
    }

    [Fact]
    public void Encode_rejects_a_buffer_of_the_wrong_size()
    {
        using EpochEncoderSession session = EpochEncoderSession.Load(ContractGraphs.Encoder());

        ArgumentException e = Assert.Throws<ArgumentException>(() => session.Encode(new byte[10], 1, new byte[ContractGraphs.Dim], false));
        Assert.Contains("4×8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_graph_without_the_image_input_names_what_it_has()
    {
        ModelFileException e = Assert.Throws<ModelFileException>(() => EpochEncoderSession.Load(ContractGraphs.Sequence()));

        Assert.Contains("'image'", e.Message, StringComparison.Ordinal);
        Assert.Contains("embeddings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_missing_file_names_the_path()
    {
        ModelFileException e = Assert.Throws<ModelFileException>(() => EpochEncoderSession.Load("/nonexistent/encoder.onnx"));

        Assert.Contains("/nonexistent/encoder.onnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_bytes_that_are_not_onnx_is_a_model_file_error()
    {
        Assert.Throws<ModelFileException>(() => EpochEncoderSession.Load("not a model"u8.ToArray()));
    }
}
