using SleepScoring.Analysis.Signals;

namespace SleepScoring.Inference.Sensing;

/// <summary>
/// A derivation run through a sensing filter only where the search reads it: each requested range
/// (a block of sample epochs with the views' context) widened by the filter's settling length on
/// either side, filtered as a piece (<see cref="ZeroPhaseFilter.Apply(Span{float})"/>), and kept;
/// elsewhere it reads as zeros and must not be read. Within the ranges the values are those of the
/// filter over the whole night: the forward and the backward pass each start a settling length
/// away, where the difference in their state has decayed below 2^−60 of the signal — far under a
/// double's resolution, so the passes run on identical numbers (a test checks it bit for bit) — and
/// at the night's ends a piece starts exactly as the whole night does. Filtering the whole night for
/// each filter candidate was a fifth of the search's time and most of its memory.
/// </summary>
internal sealed class FilteredSegments : SampleStore<float>
{
    /// <summary>Half-length of the impulse that measures how long a filter takes to settle.</summary>
    private const int Probe = 8192;

    private readonly (long Start, float[] Values)[] pieces;

    private FilteredSegments(long length, (long Start, float[] Values)[] pieces)
    {
        Length = length;
        this.pieces = pieces;
    }

    public override long Length { get; }

    /// <summary>
    /// <paramref name="source"/> filtered by <paramref name="filter"/> over <paramref name="ranges"/>
    /// (sample [From, To) each), or null when the filter does not settle within the probe (a very
    /// low high-pass edge): filter the whole night then.
    /// </summary>
    public static FilteredSegments? Over(SampleStore<float> source, ZeroPhaseFilter filter, IEnumerable<(long From, long To)> ranges)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(ranges);
        int settling = Settling(filter);
        if (settling < 0)
        {
            return null;
        }

        var merged = new List<(long From, long To)>();
        foreach ((long from, long to) in ranges.Select(r => (Math.Max(0, r.From - settling), Math.Min(source.Length, r.To + settling))).Where(r => r.Item2 > r.Item1).OrderBy(r => r.Item1))
        {
            if (merged.Count > 0 && from <= merged[^1].To)
            {
                merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, to));
            }
            else
            {
                merged.Add((from, to));
            }
        }

        (long Start, float[] Values)[] pieces = [.. merged.Select(r =>
        {
            float[] values = new float[r.To - r.From];
            source.Read(r.From, values);
            filter.Apply(values);
            return (r.From, values);
        })];
        return new FilteredSegments(source.Length, pieces);
    }

    /// <summary>
    /// Samples after which <paramref name="filter"/>'s response to an impulse stays below 2^−60 of its
    /// peak, doubled for safety; −1 when it does not within the probe.
    /// </summary>
    internal static int Settling(ZeroPhaseFilter filter)
    {
        float[] impulse = new float[(2 * Probe) + 1];
        impulse[Probe] = 1;
        filter.Apply(impulse);
        double floor = Math.ScaleB(impulse.Max(MathF.Abs), -60);
        int extent = Probe;
        while (extent > 0 && Math.Abs(impulse[Probe + extent]) <= floor && Math.Abs(impulse[Probe - extent]) <= floor)
        {
            extent--;
        }

        return extent >= Probe / 2 ? -1 : 2 * (extent + 1);
    }

    public override void Read(long start, Span<float> destination)
    {
        destination.Clear();
        long end = start + destination.Length;
        foreach ((long from, float[] values) in pieces)
        {
            long lo = Math.Max(start, from), hi = Math.Min(end, from + values.Length);
            if (hi > lo)
            {
                values.AsSpan((int)(lo - from), (int)(hi - lo)).CopyTo(destination.Slice((int)(lo - start)));
            }
        }
    }

    public override void Write(long start, ReadOnlySpan<float> values) =>
        throw new NotSupportedException("A sensing filter's pieces are read-only.");

    public override float[] ToArray()
    {
        float[] all = new float[Length];
        Read(0, all);
        return all;
    }
}
