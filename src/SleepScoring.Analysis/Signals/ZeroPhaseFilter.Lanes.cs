using System.Runtime.Intrinsics;

namespace SleepScoring.Analysis.Signals;

/// <summary>Several channels at once: four per <see cref="Vector256{T}"/>, one channel per lane.</summary>
public sealed partial class ZeroPhaseFilter
{
    private const int Lanes = 4;

    /// <summary>
    /// Filters the range [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>)
    /// of every signal, in place, with results identical to <see cref="Apply"/> on each range. The
    /// recursion is sequential in time but independent across channels, so four channels share each
    /// vector instruction (AVX); without hardware vectors the channels run one by one.
    /// </summary>
    /// <exception cref="ArgumentException">A signal does not hold the range.</exception>
    public void ApplyAll(IReadOnlyList<float[]> signals, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(signals);
        foreach (float[] s in signals)
        {
            if (start < 0 || length < 0 || start + length > s.Length)
            {
                throw new ArgumentException($"Range {start}+{length} lies outside a signal of {s.Length} samples.", nameof(signals));
            }
        }

        if (!Vector256.IsHardwareAccelerated || length < 2)
        {
            foreach (float[] s in signals)
            {
                Apply(s.AsSpan(start, length));
            }

            return;
        }

        // One filter on every lane: the per-lane path with the same coefficients broadcast.
        ZeroPhaseFilter[] same = [this, this, this, this];
        double[] work = new double[LaneWorkLength(length)];
        for (int group = 0; group < signals.Count; group += Lanes)
        {
            int used = Math.Min(Lanes, signals.Count - group);
            FilterLanes(new ArraySegment<ZeroPhaseFilter>(same, 0, used), signals, group, start, length, work);
        }
    }
}
