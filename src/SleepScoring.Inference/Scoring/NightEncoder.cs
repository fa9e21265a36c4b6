using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;
using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Inference.Scoring;

/// <summary>
/// Renders, encodes and explains a night's epochs, and stages them, on the model's workers side by
/// side: worker w takes batches w, w + W, … with its own renderer, image buffer and sessions, so
/// rendering one batch overlaps encoding another and no step waits on a shared thread pool. Each
/// batch's attention becomes its saliency grids before the worker moves on, so attention maps never
/// accumulate; a grid is the attention rollout weighted by its cells' content (<see cref="CellContent"/>).
/// Results do not depend on which worker ran what: every batch writes its own epochs.
/// </summary>
internal sealed class NightEncoder(StagingModel model)
{

    /// <summary>Epochs rendered, encoded and explained together by one worker (bounds the attention maps held at once).</summary>
    private const int BatchSize = 64;

    // Read-only after construction: shared by the workers.
    private readonly CellContent content = new(model);

    /// <summary>
    /// Fills <paramref name="embeddings"/> and, when given, the saliency <paramref name="grids"/> of
    /// every epoch; <paramref name="batchDone"/> gets the number of epochs of each finished batch,
    /// from the worker that finished it.
    /// </summary>
    /// <remarks>
    /// Each worker reads its batch's samples (with the views' context) from the slots into its own
    /// window: derivations kept in files cost a batch of memory per worker, not a night.
    /// </remarks>
    public void Encode(SlotSignals signals, int epochs, byte[] embeddings, float[][,]? grids, Action<int>? batchDone, StepClock clock, CancellationToken cancellationToken) =>
        Encode(signals, epochs, null, embeddings, grids, batchDone, clock, cancellationToken);

    /// <summary>
    /// Fills <paramref name="embeddings"/> (rows in the order of <paramref name="selected"/>) with
    /// the embeddings of the selected epochs only, without saliency: adaptive sensing's sample.
    /// </summary>
    public void EncodeSelected(SlotSignals signals, IReadOnlyList<int> selected, byte[] embeddings, CancellationToken cancellationToken) =>
        Encode(signals, selected.Count, selected, embeddings, null, null, new StepClock(), cancellationToken);

    private void Encode(SlotSignals signals, int epochs, IReadOnlyList<int>? selected, byte[] embeddings, float[][,]? grids, Action<int>? batchDone, StepClock clock, CancellationToken cancellationToken)
    {
        IReadOnlyList<EpochEncoderSession> sessions = model.Encoders;
        int batches = (epochs + BatchSize - 1) / BatchSize;
        int workers = Math.Max(1, Math.Min(sessions.Count, batches));
        var clocks = Enumerable.Range(0, workers).Select(_ => new StepClock()).ToArray();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            EpochEncoderSession encoder = sessions[w];
            IEpochImageRenderer renderer = model.CreateRenderer();
            EpochViews views = model.CreateViews();
            try
            {
                float[] samples = new float[renderer.Geometry.DerivationCount * ConditionedEpoch.Samples];
                byte[] images = new byte[BatchSize * encoder.ImageBytes];
                var window = new SlotWindow(signals.Slots);
                for (int batch = w; batch < batches; batch += workers)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int start = batch * BatchSize, n = Math.Min(BatchSize, epochs - start);
                    EncodeBatch(encoder, renderer, views, window, signals.Gains, selected, start, n, samples, images, embeddings, grids, clocks[w]);
                    batchDone?.Invoke(n);
                }
            }
            finally
            {
                (renderer as IDisposable)?.Dispose();
            }
        });
        clock.AddMeanOf(clocks);
    }

    /// <summary>
    /// Stages every epoch from the night's embeddings with the model's inter-epoch sessions side by
    /// side (disjoint batches of windows); returns the windows' attention when asked.
    /// </summary>
    public AttentionMaps? Stage(byte[] embeddings, int epochs, int[] probabilities, bool withAttention)
    {
        IReadOnlyList<InterEpochSession> sessions = model.Sequences;
        InterEpochSession first = sessions[0];
        int batch = Math.Max(1, Math.Min(first.BatchSize, (epochs + sessions.Count - 1) / sessions.Count));
        int batches = (epochs + batch - 1) / batch;
        int workers = Math.Max(1, Math.Min(sessions.Count, batches));
        byte[][]? maps = withAttention ? first.NewMaps(epochs) : null;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            for (int b = w; b < batches; b += workers)
            {
                int start = b * batch;
                sessions[w].StageRange(embeddings, epochs, start, Math.Min(batch, epochs - start), probabilities, maps);
            }
        });
        return maps is null ? null : new AttentionMaps(epochs, first.Heads, first.Window, maps);
    }

    private void EncodeBatch(
        EpochEncoderSession encoder, IEpochImageRenderer renderer, EpochViews views, SlotWindow window, float[] gains, IReadOnlyList<int>? selected, int start, int n,
        float[] samples, byte[] images, byte[] embeddings, float[][,]? grids, StepClock clock)
    {
        int imageBytes = encoder.ImageBytes;
        clock.Start();
        for (int i = 0; i < n; i++)
        {
            int epoch = selected is null ? start + i : selected[start + i];
            views.Gather(window.Holding(epoch), gains, epoch, samples);
            renderer.Render(samples, images.AsSpan(i * imageBytes, imageBytes));
        }

        clock.Stop(ref clock.Rendering);
        clock.Start();
        AttentionMaps? maps = encoder.Encode(images.AsSpan(0, n * imageBytes), n, embeddings.AsSpan(start * encoder.EmbeddingSize, n * encoder.EmbeddingSize), grids is not null);
        clock.Stop(ref clock.Encoding);
        clock.Start();
        for (int i = 0; grids is not null && maps is not null && i < n; i++)
        {
            grids[start + i] = AttentionRollout.EpochGrid(maps, i, gains.Length, model.Card.Input.Segments);
            content.Weight(grids[start + i], images.AsSpan(i * imageBytes, imageBytes));
        }

        clock.Stop(ref clock.Saliency);
    }

    /// <summary>
    /// A worker's window over the slots: a batch of epochs (with the views' context) read from the
    /// stores, read again from an epoch outside it (a new batch, or the next block of a sample).
    /// </summary>
    private sealed class SlotWindow(SampleStore<float>[] slots)
    {
        private readonly DerivationWindow window = DerivationWindow.For(slots, BatchSize);
        private int first = -1;

        public DerivationWindow Holding(int epoch)
        {
            if (first < 0 || epoch < first || epoch >= first + BatchSize)
            {
                window.Load(slots, epoch, BatchSize);
                first = epoch;
            }

            return window;
        }
    }
}
