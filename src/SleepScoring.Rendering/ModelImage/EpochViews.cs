using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// Cuts one epoch out of whole-night derivations as the renderer's input: for each derivation in
/// order, each <see cref="TraceView"/> in order (derivation-major strips). Filtered views are
/// computed from the epoch plus <see cref="TraceView.ContextSamples"/> on each side and scaled so
/// the renderer's single amplitude scale draws them at their own. Every epoch depends only on its
/// neighbourhood, so training, batch inference and streaming draw identical pixels. The filtered
/// (derivation, view) pairs run four at a time on vector lanes (<see cref="ZeroPhaseFilter.ApplyEach"/>),
/// bit-identical to filtering them one by one. Not thread-safe: one instance per thread.
/// </summary>
public sealed class EpochViews
{
    private const double SamplingRate = 100;
    private const int Lanes = 4;
    private readonly TraceView[] views;
    private readonly ZeroPhaseFilter?[] filters;
    private readonly bool[] silent;
    private readonly float[] gains;
    private readonly float[][] chunks = [.. Enumerable.Range(0, Lanes).Select(_ => new float[ConditionedEpoch.Samples + (2 * TraceView.ContextSamples)])];
    private readonly double[] work;
    private readonly List<(int Strip, int Offset, int Available, ZeroPhaseFilter Filter, float Gain)> batch = new(Lanes);

    // Per batch size n (1–4): the first n chunks and a filter array of length n, reused every epoch.
    private readonly float[][][] chunkSets;
    private readonly ZeroPhaseFilter[][] filterSets = [.. Enumerable.Range(1, Lanes).Select(n => new ZeroPhaseFilter[n])];

    /// <summary>
    /// Creates the cutter for <paramref name="views"/> drawn at the image's <paramref name="imageMicrovolts"/> scale.
    /// With a <paramref name="bandEdge"/> (Hz), every view whose band starts at or above it is drawn
    /// silent: the study is read as a narrow-band recording, which carries nothing there (a model
    /// trained on such presentations tells them from a quiet band by the exact silence).
    /// </summary>
    public EpochViews(IReadOnlyList<TraceView> views, float imageMicrovolts, double? bandEdge = null)
    {
        ArgumentNullException.ThrowIfNull(views);
        if (views.Count == 0)
        {
            throw new ArgumentException("A model image needs at least one trace view.", nameof(views));
        }

        this.views = [.. views];
        silent = [.. this.views.Select(v => bandEdge is double edge && v.LowHz >= edge)];
        filters = [.. this.views.Select((v, i) => v.Filtered && !silent[i] ? v.CreateFilter(SamplingRate) : null)];
        gains = [.. this.views.Select(v => imageMicrovolts / v.MicrovoltsPerHalfStrip)];
        chunkSets = [.. Enumerable.Range(1, Lanes).Select(n => chunks[..n])];
        int longest = chunks[0].Length;
        work = new double[filters.OfType<ZeroPhaseFilter>().Select(f => f.LaneWorkLength(longest)).DefaultIfEmpty(0).Max()];
    }

    /// <summary>Views per derivation.</summary>
    public int Count => views.Length;

    /// <summary>Fills <paramref name="destination"/> with epoch <paramref name="epoch"/> of every derivation's views; zeros past a signal's end.</summary>
    public void Gather(float[][] derivations, int epoch, Span<float> destination) => Gather(derivations, [], epoch, destination);

    /// <summary>
    /// As <see cref="Gather(float[][], int, Span{float})"/>, each derivation d multiplied by
    /// <paramref name="derivationGains"/>[d] (all 1 when empty): the sensing's gain, applied to
    /// every view alike (the views are linear filters of the trace). An empty derivation draws
    /// as a silent signal.
    /// </summary>
    public void Gather(float[][] derivations, ReadOnlySpan<float> derivationGains, int epoch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(derivations);
        Gather(DerivationWindow.Whole(derivations), derivationGains, epoch, destination);
    }

    /// <summary>As <see cref="Gather(float[][], int, Span{float})"/>, from a window that holds the epoch and its context (<see cref="DerivationWindow.Load"/>).</summary>
    public void Gather(DerivationWindow derivations, int epoch, Span<float> destination) => Gather(derivations, [], epoch, destination);

    /// <summary>As <see cref="Gather(float[][], ReadOnlySpan{float}, int, Span{float})"/>, from a window that holds the epoch and its context.</summary>
    public void Gather(DerivationWindow derivations, ReadOnlySpan<float> derivationGains, int epoch, Span<float> destination) =>
        Gather(derivations, derivationGains, epoch, destination, scaled: true);

    /// <summary>
    /// As <see cref="Gather(DerivationWindow, int, Span{float})"/>, every strip left unscaled (neither
    /// the view's scale nor a gain): what <see cref="Scale(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    /// turns into <see cref="Gather(DerivationWindow, ReadOnlySpan{float}, int, Span{float})"/>'s strips
    /// for any gains, bit for bit. A derivation's strips depend on its own samples only, so they can
    /// be kept and drawn again at another gain or in another slot without filtering again.
    /// </summary>
    public void GatherUnscaled(DerivationWindow derivations, int epoch, Span<float> destination) =>
        Gather(derivations, [], epoch, destination, scaled: false);

    /// <summary>
    /// <paramref name="unscaled"/> strips (<see cref="GatherUnscaled"/>) scaled as <see cref="Gather(DerivationWindow, ReadOnlySpan{float}, int, Span{float})"/>
    /// scales them: strip v of derivation d by the view's scale × <paramref name="derivationGains"/>[d] (all 1 when empty).
    /// </summary>
    public void Scale(ReadOnlySpan<float> unscaled, ReadOnlySpan<float> derivationGains, Span<float> destination)
    {
        int strips = unscaled.Length / ConditionedEpoch.Samples;
        if (strips % views.Length != 0 || destination.Length < unscaled.Length || (!derivationGains.IsEmpty && derivationGains.Length != strips / views.Length))
        {
            throw new ArgumentException($"{unscaled.Length} samples are not whole derivations of {views.Length} strips with {derivationGains.Length} gains, or the destination ({destination.Length}) is shorter.", nameof(unscaled));
        }

        for (int strip = 0; strip < strips; strip++)
        {
            int d = strip / views.Length, v = strip % views.Length;
            Span<float> target = destination.Slice(strip * ConditionedEpoch.Samples, ConditionedEpoch.Samples);
            unscaled.Slice(strip * ConditionedEpoch.Samples, ConditionedEpoch.Samples).CopyTo(target);
            Scale(target, gains[v] * (derivationGains.IsEmpty ? 1f : derivationGains[d]));
        }
    }

    private void Gather(DerivationWindow derivations, ReadOnlySpan<float> derivationGains, int epoch, Span<float> destination, bool scaled)
    {
        ArgumentNullException.ThrowIfNull(derivations);
        if (!derivationGains.IsEmpty && derivationGains.Length != derivations.Count)
        {
            throw new ArgumentException($"{derivations.Count} derivations need {derivations.Count} gains; got {derivationGains.Length}.", nameof(derivationGains));
        }

        int strips = derivations.Count * views.Length;
        if (destination.Length < strips * ConditionedEpoch.Samples)
        {
            throw new ArgumentException($"{strips} strips need {strips * ConditionedEpoch.Samples} samples; the destination holds {destination.Length}.", nameof(destination));
        }

        long from = (long)epoch * ConditionedEpoch.Samples;
        int pending = -1; // chunk length of the queued filter jobs
        for (int d = 0; d < derivations.Count; d++)
        {
            long signalLength = derivations.Lengths[d];

            // The epoch with its context, clipped to the signal (the filter extends the ends itself).
            long start = Math.Max(0, from - TraceView.ContextSamples);
            long end = Math.Min(signalLength, from + ConditionedEpoch.Samples + TraceView.ContextSamples);
            int length = (int)Math.Max(0, end - start), offset = (int)(from - start);
            int available = (int)Math.Clamp(signalLength - from, 0, ConditionedEpoch.Samples);
            for (int v = 0; v < views.Length; v++)
            {
                int strip = (d * views.Length) + v;
                Span<float> target = destination.Slice(strip * ConditionedEpoch.Samples, ConditionedEpoch.Samples);
                float gain = scaled ? gains[v] * (derivationGains.IsEmpty ? 1f : derivationGains[d]) : 1f;
                if (silent[v])
                {
                    target.Clear();
                    continue;
                }

                if (filters[v] is not { } filter)
                {
                    EpochSamples.Cut(derivations, d, epoch, target);
                    Scale(target, gain);
                    continue;
                }

                if (length < 2 || offset >= length)
                {
                    target.Clear(); // the epoch lies past the signal's end
                    continue;
                }

                if (batch.Count == Lanes || (batch.Count > 0 && pending != length))
                {
                    Flush(destination, pending);
                }

                derivations.Slice(d, start, length).CopyTo(chunks[batch.Count]);
                batch.Add((strip, offset, available, filter, gain));
                pending = length;
            }
        }

        if (batch.Count > 0)
        {
            Flush(destination, pending);
        }
    }

    private void Flush(Span<float> destination, int length)
    {
        ZeroPhaseFilter[] bankFilters = filterSets[batch.Count - 1];
        for (int i = 0; i < batch.Count; i++)
        {
            bankFilters[i] = batch[i].Filter;
        }

        ZeroPhaseFilter.ApplyEach(bankFilters, chunkSets[batch.Count - 1], length, work);
        for (int i = 0; i < batch.Count; i++)
        {
            (int strip, int offset, int available, _, float gain) = batch[i];
            Span<float> target = destination.Slice(strip * ConditionedEpoch.Samples, ConditionedEpoch.Samples);
            chunks[i].AsSpan(offset, available).CopyTo(target);
            target[available..].Clear();
            Scale(target, gain);
        }

        batch.Clear();
    }

    private static void Scale(Span<float> samples, float gain)
    {
        if (gain == 1f)
        {
            return;
        }

        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] *= gain;
        }
    }
}
