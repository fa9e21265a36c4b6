using System.Runtime.InteropServices;
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

        for (int group = 0; group < signals.Count; group += Lanes)
        {
            int used = Math.Min(Lanes, signals.Count - group);
            int pad = Pad(length);
            int total = length + (2 * pad);
            double[] work = new double[total * Lanes];
            for (int lane = 0; lane < used; lane++)
            {
                Span<float> x = signals[group + lane].AsSpan(start, length);
                double first = x[0], last = x[length - 1];
                for (int i = 0; i < pad; i++)
                {
                    work[((pad - 1 - i) * Lanes) + lane] = (2 * first) - x[i + 1];
                    work[((pad + length + i) * Lanes) + lane] = (2 * last) - x[length - 2 - i];
                }

                for (int i = 0; i < length; i++)
                {
                    work[((pad + i) * Lanes) + lane] = x[i];
                }
            }

            RunLanes(work, total, forward: true);
            RunLanes(work, total, forward: false);
            for (int lane = 0; lane < used; lane++)
            {
                Span<float> x = signals[group + lane].AsSpan(start, length);
                for (int i = 0; i < length; i++)
                {
                    x[i] = (float)work[((pad + i) * Lanes) + lane];
                }
            }
        }
    }

    /// <summary>The same arithmetic as the scalar path, in the same order, on four lanes.</summary>
    private void RunLanes(double[] x, int samples, bool forward)
    {
        ref double origin = ref MemoryMarshal.GetArrayDataReference(x);
        Vector256<double> level = Vector256.LoadUnsafe(ref origin, (nuint)((forward ? 0 : samples - 1) * Lanes));
        foreach (Biquad s in _sections)
        {
            Vector256<double> b0 = Vector256.Create(s.B0), b1 = Vector256.Create(s.B1), b2 = Vector256.Create(s.B2);
            Vector256<double> a1 = Vector256.Create(s.A1), a2 = Vector256.Create(s.A2);
            Vector256<double> gain = Vector256.Create(s.DcGain) * level;
            Vector256<double> z2 = (b2 * level) - (a2 * gain);
            Vector256<double> z1 = (b1 * level) - (a1 * gain) + z2;
            for (int k = 0; k < samples; k++)
            {
                nuint at = (nuint)((forward ? k : samples - 1 - k) * Lanes);
                Vector256<double> input = Vector256.LoadUnsafe(ref origin, at);
                Vector256<double> y = (b0 * input) + z1;
                z1 = (b1 * input) - (a1 * y) + z2;
                z2 = (b2 * input) - (a2 * y);
                y.StoreUnsafe(ref origin, at);
            }

            level = gain;
        }
    }
}
