using SleepScoring.Analysis.Signals;
using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Inference.Tests.Scoring;

/// <summary>
/// Side-by-side workers must give exactly what one session gives epoch by epoch: every batch writes
/// its own epochs, whichever worker runs it. The contract encoder's embedding is the image's row 0,
/// columns 0–7, which the noise below lights differently in most epochs, so a batch written to the
/// wrong epochs would show.
/// </summary>
public sealed class NightEncoderTests : IDisposable
{
    private const int Epochs = 200; // four 64-epoch batches, the last partial
    private readonly ContractModel contract = new();

    [Fact]
    public void Three_workers_encode_and_stage_exactly_as_one_session_epoch_by_epoch()
    {
        float[][] bands = NoisyNight();
        using StagingModel model = StagingModel.Load(contract.Directory, new InferenceOptions { Workers = 3, Threads = 1, SequenceBatchSize = 32 });
        Assert.Equal((3, 3), (model.Encoders.Count, model.Sequences.Count));
        using var night = new NightEncoder(model);
        int dim = model.Encoder.EmbeddingSize, classes = model.Sequence.Classes;
        byte[] embeddings = new byte[Epochs * dim];
        var grids = new float[Epochs][,];
        int[] probabilities = new int[Epochs * classes];

        night.Encode(SlotSignals.Plain(bands), Epochs, embeddings, grids, null, new StepClock(), CancellationToken.None);
        AttentionMaps? maps = night.Stage(embeddings, Epochs, probabilities, withAttention: true);

        // The reference: each epoch rendered and encoded alone, the night staged by one session.
        (byte[] expectedEmbeddings, AttentionMaps[] expectedEpochMaps, byte[][] images) = OneByOne(model, bands);
        var content = new CellContent(model);
        // Row 0's eight columns light in about half the epochs each: most epochs differ (256 patterns).
        Assert.True(Enumerable.Range(0, Epochs).Select(e => Convert.ToHexString(expectedEmbeddings, e * dim, dim)).Distinct().Count() > Epochs / 2);
        Assert.Equal(expectedEmbeddings, embeddings);
        for (int e = 0; e < Epochs; e++)
        {
            float[,] expectedGrid = AttentionRollout.EpochGrid(expectedEpochMaps[e], 0, 2, ContractModel.Segments);
            content.Weight(expectedGrid, images[e]);
            Assert.Equal(expectedGrid, grids[e]);
        }

        int[] expectedProbabilities = new int[Epochs * classes];
        AttentionMaps expectedMaps = model.Sequence.StageNight(expectedEmbeddings, Epochs, expectedProbabilities, withAttention: true)!;
        Assert.Equal(expectedProbabilities, probabilities);
        Assert.Equal(expectedMaps.Layers, maps!.Layers);
    }

    [Fact]
    public void Selected_epochs_encode_as_in_the_whole_night_and_an_empty_slot_as_a_silent_signal()
    {
        float[][] bands = NoisyNight();
        using StagingModel model = StagingModel.Load(contract.Directory, new InferenceOptions { Workers = 2, Threads = 1 });
        using var night = new NightEncoder(model);
        int dim = model.Encoder.EmbeddingSize;
        byte[] whole = new byte[Epochs * dim];
        night.Encode(SlotSignals.Plain(bands), Epochs, whole, null, null, new StepClock(), CancellationToken.None);
        int[] selected = [7, 3, 12];
        byte[] some = new byte[selected.Length * dim];

        night.EncodeSelected([SlotSignals.Plain(bands)], selected, night.NewStrips(), some, new StepClock(), CancellationToken.None);

        for (int i = 0; i < selected.Length; i++)
        {
            Assert.Equal(whole.AsSpan(selected[i] * dim, dim).ToArray(), some.AsSpan(i * dim, dim).ToArray());
        }

        // An empty slot draws what a night of zeros draws.
        float[][] zeros = [bands[0], new float[bands[1].Length]];
        byte[] silent = new byte[selected.Length * dim], empty = new byte[selected.Length * dim];
        night.EncodeSelected([SlotSignals.Plain(zeros)], selected, night.NewStrips(), silent, new StepClock(), CancellationToken.None);
        night.EncodeSelected([SlotSignals.Plain([bands[0], []])], selected, night.NewStrips(), empty, new StepClock(), CancellationToken.None);
        Assert.Equal(silent, empty);
    }

    [Fact]
    public void Candidates_encoded_together_from_kept_strips_encode_as_each_whole_night_at_its_gains()
    {
        // Sensing's candidates: other gains, the slots swapped, one slot silent — in one call, after an
        // earlier call left the strips of the same stores (drawn again, scaled, not filtered again).
        float[][] bands = NoisyNight();
        using StagingModel model = StagingModel.Load(contract.Directory, new InferenceOptions { Workers = 2, Threads = 1 });
        using var night = new NightEncoder(model);
        int dim = model.Encoder.EmbeddingSize;
        SlotSignals plain = SlotSignals.Plain(bands);
        SlotSignals[] candidates =
        [
            new(plain.Slots, [0.5f, 1.41f]),
            new([plain.Slots[1], plain.Slots[0]], [2f, 0.71f]),
            new([plain.Slots[0], SlotSignals.Silent], [1.3f, 1f]),
        ];
        int[] selected = [7, 3, 12, 13, 0, Epochs - 1];
        ViewStrips strips = night.NewStrips();
        night.EncodeSelected([plain], selected, strips, new byte[selected.Length * dim], new StepClock(), CancellationToken.None);
        byte[] together = new byte[candidates.Length * selected.Length * dim];

        night.EncodeSelected(candidates, selected, strips, together, new StepClock(), CancellationToken.None);

        for (int c = 0; c < candidates.Length; c++)
        {
            byte[] whole = new byte[Epochs * dim];
            night.Encode(candidates[c], Epochs, whole, null, null, new StepClock(), CancellationToken.None);
            for (int i = 0; i < selected.Length; i++)
            {
                Assert.Equal(whole.AsSpan(selected[i] * dim, dim).ToArray(), together.AsSpan(((c * selected.Length) + i) * dim, dim).ToArray());
            }
        }
    }

    [Fact]
    public void A_worker_stops_at_cancellation()
    {
        using StagingModel model = StagingModel.Load(contract.Directory, new InferenceOptions { Workers = 2, Threads = 1 });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        using var night = new NightEncoder(model);

        Exception e = Assert.ThrowsAny<Exception>(() => night.Encode(SlotSignals.Plain(NoisyNight()), Epochs, new byte[Epochs * ContractModel.Dim], null, null, new StepClock(), cancelled.Token));

        Assert.True(e is OperationCanceledException || (e is AggregateException a && a.InnerExceptions.All(i => i is OperationCanceledException)));
    }

    public void Dispose() => contract.Dispose();

    /// <summary>Two 100-Hz bands of ±115 µV uniform noise (the band's half height is 100 µV, so a column's top pixel lights in about half the epochs).</summary>
    private static float[][] NoisyNight()
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, Epochs * 3000).Select(_ => (float)((random.NextDouble() * 230) - 115)).ToArray())];
    }

    private static (byte[] Embeddings, AttentionMaps[] Maps, byte[][] Images) OneByOne(StagingModel model, float[][] bands)
    {
        IEpochImageRenderer renderer = model.CreateRenderer();
        var images = new byte[Epochs][];
        float[] samples = new float[2 * 3000];
        byte[] embeddings = new byte[Epochs * model.Encoder.EmbeddingSize];
        var maps = new AttentionMaps[Epochs];
        for (int e = 0; e < Epochs; e++)
        {
            EpochSamples.Gather(bands, e, samples);
            byte[] image = images[e] = new byte[model.Encoder.ImageBytes];
            renderer.Render(samples, image);
            maps[e] = model.Encoder.Encode(image, 1, embeddings.AsSpan(e * model.Encoder.EmbeddingSize, model.Encoder.EmbeddingSize), withAttention: true)!;
        }

        (renderer as IDisposable)?.Dispose();
        return (embeddings, maps, images);
    }
}
