namespace SleepScoring.Inference.Tests;

public sealed class InterEpochSessionTests
{
    [Fact]
    public void StageNight_centres_a_window_on_every_epoch_and_pads_beyond_the_night_with_the_zero_embedding()
    {
        using InterEpochSession session = InterEpochSession.Load(ContractGraphs.Sequence(), new InferenceOptions { SequenceBatchSize = 3, Threads = 1 });
        const int epochs = 7;
        // Epoch i's embedding is [i + 1, 10 + i, 20 + i].
        byte[] embeddings = Enumerable.Range(0, epochs).SelectMany(i => new[] { (byte)(i + 1), (byte)(10 + i), (byte)(20 + i) }).ToArray();
        int[] probabilities = new int[epochs * ContractGraphs.Dim];

        AttentionMaps? maps = session.StageNight(embeddings, epochs, probabilities, withAttention: true);

        Assert.NotNull(maps);
        for (int i = 0; i < epochs; i++)
        {
            // The contract graph returns the centre embedding as the "probabilities".
            Assert.Equal(new[] { i + 1, 10 + i, 20 + i }, probabilities.AsSpan(i * 3, 3).ToArray());
            // Its attention row is the first byte of each window position: epochs i−2 … i+2, 128 outside the night.
            byte[] expected = Enumerable.Range(i - 2, 5).Select(e => e is >= 0 and < epochs ? (byte)(e + 1) : (byte)128).ToArray();
            Assert.Equal(expected, maps.Item(0, i)[..5].ToArray());
        }
    }

    [Fact]
    public void StageRange_stages_only_its_epochs_in_any_order_and_refuses_a_range_outside_the_night()
    {
        using InterEpochSession session = InterEpochSession.Load(ContractGraphs.Sequence(), new InferenceOptions { SequenceBatchSize = 3, Threads = 1 });
        const int epochs = 7;
        byte[] embeddings = Enumerable.Range(0, epochs).SelectMany(i => new[] { (byte)(i + 1), (byte)(10 + i), (byte)(20 + i) }).ToArray();
        int[] probabilities = new int[epochs * 3];
        byte[][] maps = session.NewMaps(epochs);

        session.StageRange(embeddings, epochs, 3, 3, probabilities, maps);
        Assert.All(probabilities.AsSpan(0, 9).ToArray(), p => Assert.Equal(0, p)); // epochs 0–2 untouched
        Assert.Equal(new[] { 4, 13, 23 }, probabilities.AsSpan(9, 3).ToArray()); // epoch 3's centre embedding
        session.StageRange(embeddings, epochs, 6, 1, probabilities, maps);
        session.StageRange(embeddings, epochs, 0, 3, probabilities, maps);

        for (int i = 0; i < epochs; i++)
        {
            Assert.Equal(new[] { i + 1, 10 + i, 20 + i }, probabilities.AsSpan(i * 3, 3).ToArray());
            byte[] expected = Enumerable.Range(i - 2, 5).Select(e => e is >= 0 and < epochs ? (byte)(e + 1) : (byte)128).ToArray();
            Assert.Equal(expected, maps[0].AsSpan(i * 25, 5).ToArray());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => session.StageRange(embeddings, epochs, 5, 3, probabilities, maps)); // past the night
        Assert.Throws<ArgumentOutOfRangeException>(() => session.StageRange(embeddings, epochs, 0, 4, probabilities, maps)); // more than a batch
        Assert.Throws<ArgumentException>(() => session.StageRange(embeddings, epochs, 0, 3, probabilities, [new byte[10]]));
    }

    [Fact]
    public void Window_and_scale_come_from_the_graph()
    {
        using InterEpochSession session = InterEpochSession.Load(ContractGraphs.Sequence());

        Assert.Equal((5, 3, 3), (session.Window, session.EmbeddingSize, session.Classes));
        Assert.Equal(1.0 / 32768, session.ProbabilityScale);
    }
}
