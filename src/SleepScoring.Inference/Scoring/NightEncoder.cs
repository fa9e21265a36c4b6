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
/// Results do not depend on which worker ran what: every batch writes its own epochs. A
/// <paramref name="bandEdge"/> draws the narrow-band presentation (views above it silent).
/// </summary>
internal sealed class NightEncoder(StagingModel model, double? bandEdge = null) : IDisposable
{

    /// <summary>Epochs rendered, encoded and explained together by one worker (bounds the attention maps held at once).</summary>
    private const int BatchSize = 64;

    // Read-only after construction: shared by the workers.
    private readonly CellContent content = new(model);

    // Each worker's renderer and buffers for the selected epochs, kept over calls: a sensing search
    // encodes its sample once per step, and fresh buffers each time were most of its garbage.
    private readonly WorkerKit?[] kept = new WorkerKit?[model.Encoders.Count];

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
        Encode([signals], epochs, null, null, embeddings, grids, batchDone, clock, cancellationToken);

    /// <summary>
    /// Fills <paramref name="embeddings"/> with the embeddings of the selected epochs only, without
    /// saliency, for each of <paramref name="candidates"/> in turn (rows: candidate by candidate, each
    /// in the order of <paramref name="selected"/>): adaptive sensing's sample. Several candidates
    /// in one call share the workers' set-up and fill their batches evenly (one candidate's 96
    /// epochs are a batch of 64 and one of 32, and one worker waits for the other). The epochs' view
    /// strips are drawn from <paramref name="strips"/> where earlier candidates left them.
    /// </summary>
    public void EncodeSelected(IReadOnlyList<SlotSignals> candidates, IReadOnlyList<int> selected, ViewStrips strips, byte[] embeddings, StepClock clock, CancellationToken cancellationToken) =>
        Encode(candidates, candidates.Count * selected.Count, selected, strips, embeddings, null, null, clock, cancellationToken);

    /// <summary>Unscaled view strips kept over calls of <see cref="EncodeSelected"/> (one search).</summary>
    public ViewStrips NewStrips() => new(model.CreateViews().Count);

    private void Encode(IReadOnlyList<SlotSignals> candidates, int epochs, IReadOnlyList<int>? selected, ViewStrips? strips, byte[] embeddings, float[][,]? grids, Action<int>? batchDone, StepClock clock, CancellationToken cancellationToken)
    {
        IReadOnlyList<EpochEncoderSession> sessions = model.Encoders;
        int batchSize = selected is null ? BatchSize : EvenBatch(epochs, sessions.Count);
        int batches = (epochs + batchSize - 1) / batchSize;
        int workers = Math.Max(1, Math.Min(sessions.Count, batches));
        var clocks = Enumerable.Range(0, workers).Select(_ => new StepClock()).ToArray();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            EpochEncoderSession encoder = sessions[w];
            WorkerKit kit = selected is null ? new WorkerKit(model, candidates[0].Slots, bandEdge) : kept[w] ??= new WorkerKit(model, candidates[0].Slots, bandEdge);
            try
            {
                for (int batch = w; batch < batches; batch += workers)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int start = batch * batchSize, n = Math.Min(batchSize, epochs - start);
                    EncodeBatch(encoder, kit, candidates, selected, strips, start, n, embeddings, grids, clocks[w]);
                    batchDone?.Invoke(n);
                }
            }
            finally
            {
                if (selected is null)
                {
                    kit.Dispose();
                }
            }
        });
        clock.AddMeanOf(clocks);
    }

    /// <summary>Disposes the renderers kept for the selected epochs.</summary>
    public void Dispose()
    {
        for (int w = 0; w < kept.Length; w++)
        {
            kept[w]?.Dispose();
            kept[w] = null;
        }
    }

    /// <summary>
    /// A batch size of at most <see cref="BatchSize"/> that splits <paramref name="epochs"/> into a
    /// multiple of <paramref name="workers"/> batches of (nearly) equal size, so that no worker waits
    /// long for another: a sample of 96 epochs is two batches of 48, not one of 64 and one of 32.
    /// </summary>
    private static int EvenBatch(int epochs, int workers)
    {
        int rounds = Math.Max(1, (epochs + (workers * BatchSize) - 1) / (workers * BatchSize));
        int batches = Math.Max(1, Math.Min(epochs, rounds * workers));
        return Math.Max(1, (epochs + batches - 1) / batches);
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
        EpochEncoderSession encoder, WorkerKit kit, IReadOnlyList<SlotSignals> candidates, IReadOnlyList<int>? selected, ViewStrips? strips, int start, int n,
        byte[] embeddings, float[][,]? grids, StepClock clock)
    {
        int imageBytes = encoder.ImageBytes;
        (IEpochImageRenderer renderer, SlotWindow window, float[] samples, float[] unscaled, byte[] images) = (kit.Renderer, kit.Window, kit.Samples, kit.Unscaled, kit.Images);
        clock.Start();
        for (int i = 0; i < n; i++)
        {
            // Row start + i: the night's epoch, or the selected epoch of one candidate.
            SlotSignals signals = selected is null ? candidates[0] : candidates[(start + i) / selected.Count];
            int epoch = selected is null ? start + i : selected[(start + i) % selected.Count];
            EpochViews views = kit.ViewsFor(signals.BandEdge);
            if (strips is null)
            {
                views.Gather(window.Holding(signals.Slots, epoch), signals.Gains, epoch, samples);
            }
            else
            {
                if (!strips.TryFill(signals.Slots, epoch, unscaled))
                {
                    views.GatherUnscaled(window.Holding(signals.Slots, epoch), epoch, unscaled);
                    strips.Keep(signals.Slots, epoch, unscaled);
                }

                views.Scale(unscaled, signals.Gains, samples);
            }

            renderer.Render(samples, images.AsSpan(i * imageBytes, imageBytes));
        }

        clock.Stop(ref clock.Rendering);
        clock.Start();
        AttentionMaps? maps = encoder.Encode(images.AsSpan(0, n * imageBytes), n, embeddings.AsSpan(start * encoder.EmbeddingSize, n * encoder.EmbeddingSize), grids is not null);
        clock.Stop(ref clock.Encoding);
        clock.Start();
        for (int i = 0; grids is not null && maps is not null && i < n; i++)
        {
            grids[start + i] = AttentionRollout.EpochGrid(maps, i, candidates[0].Gains.Length, model.Card.Input.Segments);
            content.Weight(grids[start + i], images.AsSpan(i * imageBytes, imageBytes));
        }

        clock.Stop(ref clock.Saliency);
    }

    /// <summary>A worker's renderer, view cutter, window and buffers (one batch of images).</summary>
    private sealed class WorkerKit : IDisposable
    {
        private readonly StagingModel model;
        private readonly Dictionary<double, EpochViews> narrower = [];

        public WorkerKit(StagingModel model, SampleStore<float>[] slots, double? bandEdge)
        {
            this.model = model;
            Renderer = model.CreateRenderer();
            Views = model.CreateViews(bandEdge);
            Window = new SlotWindow(slots);
            Samples = new float[Renderer.Geometry.DerivationCount * ConditionedEpoch.Samples];
            Unscaled = new float[Samples.Length];
            Images = new byte[BatchSize * model.Encoder.ImageBytes];
        }

        public IEpochImageRenderer Renderer { get; }

        public EpochViews Views { get; }

        /// <summary>The views for signals drawn at <paramref name="edge"/> (null: the study's band, <see cref="Views"/>).</summary>
        public EpochViews ViewsFor(double? edge)
        {
            if (edge is not double narrow)
            {
                return Views;
            }

            if (!narrower.TryGetValue(narrow, out EpochViews? views))
            {
                views = model.CreateViews(narrow);
                narrower.Add(narrow, views);
            }

            return views;
        }

        public SlotWindow Window { get; }

        public float[] Samples { get; }

        /// <summary>The strips before scaling (sensing's kept strips).</summary>
        public float[] Unscaled { get; }

        public byte[] Images { get; }

        public void Dispose() => (Renderer as IDisposable)?.Dispose();
    }

    /// <summary>
    /// A worker's window over the slots: a batch of epochs (with the views' context) read from the
    /// stores, read again from an epoch outside it (a new batch, the next block of a sample) or
    /// from other stores (the next sensing candidate's).
    /// </summary>
    private sealed class SlotWindow(SampleStore<float>[] slots)
    {
        private readonly DerivationWindow window = DerivationWindow.For(slots, BatchSize);
        private SampleStore<float>[] held = slots;
        private int first = -1;

        public DerivationWindow Holding(SampleStore<float>[] stores, int epoch)
        {
            if (first < 0 || epoch < first || epoch >= first + BatchSize || !ReferenceEquals(stores, held))
            {
                window.Load(stores, epoch, BatchSize);
                held = stores;
                first = epoch;
            }

            return window;
        }
    }
}
