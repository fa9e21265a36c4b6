namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// Cuts one epoch out of whole-night derivations as the renderer's input: for each derivation in
/// order, each <see cref="TraceView"/> in order (derivation-major bands). Filtered views are
/// computed from the epoch plus <see cref="TraceView.ContextSamples"/> on each side and scaled so
/// the renderer's single amplitude scale draws them at their own. Every epoch depends only on its
/// neighbourhood, so training, batch inference and streaming draw identical pixels. Not
/// thread-safe: one instance per thread.
/// </summary>
public sealed class EpochViews
{
    private const double SamplingRate = 100;
    private readonly TraceView[] views;
    private readonly Analysis.Signals.ZeroPhaseFilter?[] filters;
    private readonly float[] gains;
    private readonly float[] context = new float[EpochSamples.PerEpoch + (2 * TraceView.ContextSamples)];
    private readonly double[] work;

    /// <summary>Creates the cutter for <paramref name="views"/> drawn at the image's <paramref name="imageMicrovolts"/> scale.</summary>
    public EpochViews(IReadOnlyList<TraceView> views, float imageMicrovolts)
    {
        ArgumentNullException.ThrowIfNull(views);
        if (views.Count == 0)
        {
            throw new ArgumentException("A model image needs at least one trace view.", nameof(views));
        }

        this.views = [.. views];
        filters = [.. this.views.Select(v => v.Filtered ? v.CreateFilter(SamplingRate) : null)];
        gains = [.. this.views.Select(v => imageMicrovolts / v.MicrovoltsPerHalfBand)];
        work = new double[filters.OfType<Analysis.Signals.ZeroPhaseFilter>().Select(f => f.WorkLength(context.Length)).DefaultIfEmpty(0).Max()];
    }

    /// <summary>Views per derivation.</summary>
    public int Count => views.Length;

    /// <summary>Fills <paramref name="destination"/> with epoch <paramref name="epoch"/> of every derivation's views; zeros past a signal's end.</summary>
    public void Gather(float[][] derivations, int epoch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(derivations);
        int bands = derivations.Length * views.Length;
        if (destination.Length < bands * EpochSamples.PerEpoch)
        {
            throw new ArgumentException($"{bands} bands need {bands * EpochSamples.PerEpoch} samples; the destination holds {destination.Length}.", nameof(destination));
        }

        for (int d = 0; d < derivations.Length; d++)
        {
            for (int v = 0; v < views.Length; v++)
            {
                Span<float> target = destination.Slice(((d * views.Length) + v) * EpochSamples.PerEpoch, EpochSamples.PerEpoch);
                if (filters[v] is { } filter)
                {
                    Filtered(derivations[d], epoch, filter, target);
                }
                else
                {
                    Cut(derivations[d], (long)epoch * EpochSamples.PerEpoch, target);
                }

                if (gains[v] != 1f)
                {
                    for (int i = 0; i < target.Length; i++)
                    {
                        target[i] *= gains[v];
                    }
                }
            }
        }
    }

    private void Filtered(float[] signal, int epoch, Analysis.Signals.ZeroPhaseFilter filter, Span<float> target)
    {
        // The epoch with its context, clipped to the signal (the filter extends the ends itself).
        long start = Math.Max(0, ((long)epoch * EpochSamples.PerEpoch) - TraceView.ContextSamples);
        long end = Math.Min(signal.Length, ((long)(epoch + 1) * EpochSamples.PerEpoch) + TraceView.ContextSamples);
        int offset = (int)(((long)epoch * EpochSamples.PerEpoch) - start);
        if (end - start < 2 || offset >= end - start)
        {
            Cut(signal, (long)epoch * EpochSamples.PerEpoch, target);
            target.Clear();
            return;
        }

        Span<float> chunk = context.AsSpan(0, (int)(end - start));
        signal.AsSpan((int)start, chunk.Length).CopyTo(chunk);
        filter.Apply(chunk, work);
        int available = Math.Min(EpochSamples.PerEpoch, chunk.Length - offset);
        chunk.Slice(offset, available).CopyTo(target);
        target[available..].Clear();
    }

    private static void Cut(float[] signal, long from, Span<float> target)
    {
        int available = (int)Math.Clamp(signal.Length - from, 0, EpochSamples.PerEpoch);
        signal.AsSpan((int)Math.Min(from, signal.Length), available).CopyTo(target);
        target[available..].Clear();
    }
}
