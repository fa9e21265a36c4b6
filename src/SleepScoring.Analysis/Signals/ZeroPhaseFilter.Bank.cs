using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SleepScoring.Analysis.Signals;

/// <summary>Up to four filters of one structure (the same or different) on four signals at once, one per lane.</summary>
public sealed partial class ZeroPhaseFilter
{
    /// <summary>Doubles of work space <see cref="ApplyEach"/> needs for <paramref name="samples"/> samples.</summary>
    public int LaneWorkLength(int samples) => samples < 2 ? 0 : (samples + (2 * Pad(samples))) * Lanes;

    /// <summary>
    /// Filters the first <paramref name="length"/> samples of signal i with filter i, in place, for up
    /// to four signals at once; results equal <see cref="Apply(Span{float})"/> of each filter on its
    /// signal bit for bit (the same arithmetic in the same order, on vector lanes with per-lane
    /// coefficients). The model image's band-passed views use it: several bands, one structure.
    /// </summary>
    /// <exception cref="ArgumentException">More than four signals, counts that differ, filters with different section counts, a signal shorter than <paramref name="length"/>, or too little work space.</exception>
    public static void ApplyEach(IReadOnlyList<ZeroPhaseFilter> filters, IReadOnlyList<float[]> signals, int length, double[] work)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(work);
        if (filters.Count != signals.Count || filters.Count is 0 or > Lanes)
        {
            throw new ArgumentException($"One to {Lanes} filters with one signal each are needed; got {filters.Count} filters and {signals.Count} signals.", nameof(signals));
        }

        int sections = filters[0]._sections.Length;
        for (int i = 0; i < filters.Count; i++)
        {
            if (filters[i]._sections.Length != sections || signals[i].Length < length)
            {
                throw new ArgumentException($"Filter {i} has {filters[i]._sections.Length} sections (filter 0: {sections}) and signal {i} {signals[i].Length} samples (needed: {length}).", nameof(filters));
            }
        }

        if (!Vector256.IsHardwareAccelerated || length < 2)
        {
            for (int i = 0; i < filters.Count; i++)
            {
                filters[i].Apply(signals[i].AsSpan(0, length));
            }

            return;
        }

        if (work.Length < filters[0].LaneWorkLength(length))
        {
            throw new ArgumentException($"Filtering {length} samples on {Lanes} lanes needs {filters[0].LaneWorkLength(length)} doubles of work space, got {work.Length}.", nameof(work));
        }

        FilterLanes(filters, signals, 0, 0, length, work);
    }

    /// <summary>
    /// Filters [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of
    /// signals <paramref name="first"/> … <paramref name="first"/> + filters.Count − 1 in place, signal
    /// <paramref name="first"/> + i with filters[i] on lane i: odd extension by the scalar path's pad,
    /// forward and backward passes, the same arithmetic in the same order as <see cref="Apply(Span{float})"/>.
    /// </summary>
    private static void FilterLanes(IReadOnlyList<ZeroPhaseFilter> filters, IReadOnlyList<float[]> signals, int first, int start, int length, double[] work)
    {
        int pad = filters[0].Pad(length), total = length + (2 * pad);
        // Used lanes are written whole below; only unused ones need zeros (a reused buffer may hold old values).
        for (int lane = filters.Count; lane < Lanes; lane++)
        {
            for (int row = 0; row < total; row++)
            {
                work[(row * Lanes) + lane] = 0;
            }
        }

        for (int lane = 0; lane < filters.Count; lane++)
        {
            ReadOnlySpan<float> x = signals[first + lane].AsSpan(start, length);
            double head = x[0], tail = x[length - 1];
            for (int i = 0; i < pad; i++)
            {
                work[((pad - 1 - i) * Lanes) + lane] = (2 * head) - x[i + 1];
                work[((pad + length + i) * Lanes) + lane] = (2 * tail) - x[length - 2 - i];
            }

            for (int i = 0; i < length; i++)
            {
                work[((pad + i) * Lanes) + lane] = x[i];
            }
        }

        RunEach(filters, work, total, forward: true);
        RunEach(filters, work, total, forward: false);
        for (int lane = 0; lane < filters.Count; lane++)
        {
            Span<float> x = signals[first + lane].AsSpan(start, length);
            for (int i = 0; i < length; i++)
            {
                x[i] = (float)work[((pad + i) * Lanes) + lane];
            }
        }
    }

    /// <summary>
    /// One direction of every section over the interleaved lanes, each lane with its own filter's
    /// coefficients (unused lanes borrow lane 0's and filter zeros), each section started from the
    /// steady state of its first input as in the scalar path.
    /// </summary>
    private static void RunEach(IReadOnlyList<ZeroPhaseFilter> filters, double[] x, int samples, bool forward)
    {
        ref double origin = ref MemoryMarshal.GetArrayDataReference(x);
        Vector256<double> level = Vector256.LoadUnsafe(ref origin, (nuint)((forward ? 0 : samples - 1) * Lanes));
        for (int k = 0; k < filters[0]._sections.Length; k++)
        {
            Vector256<double> b0 = Coefficient(filters, k, s => s.B0), b1 = Coefficient(filters, k, s => s.B1), b2 = Coefficient(filters, k, s => s.B2);
            Vector256<double> a1 = Coefficient(filters, k, s => s.A1), a2 = Coefficient(filters, k, s => s.A2);
            Vector256<double> gain = Coefficient(filters, k, s => s.DcGain) * level;
            Vector256<double> z2 = (b2 * level) - (a2 * gain);
            Vector256<double> z1 = (b1 * level) - (a1 * gain) + z2;
            for (int n = 0; n < samples; n++)
            {
                nuint at = (nuint)((forward ? n : samples - 1 - n) * Lanes);
                Vector256<double> input = Vector256.LoadUnsafe(ref origin, at);
                Vector256<double> y = (b0 * input) + z1;
                z1 = (b1 * input) - (a1 * y) + z2;
                z2 = (b2 * input) - (a2 * y);
                y.StoreUnsafe(ref origin, at);
            }

            level = gain;
        }
    }

    private static Vector256<double> Coefficient(IReadOnlyList<ZeroPhaseFilter> filters, int section, Func<Biquad, double> pick)
    {
        double Lane(int lane) => pick(filters[lane < filters.Count ? lane : 0]._sections[section]);
        return Vector256.Create(Lane(0), Lane(1), Lane(2), Lane(3));
    }
}
