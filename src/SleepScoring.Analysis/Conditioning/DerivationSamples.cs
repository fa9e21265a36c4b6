using System.Buffers;
using System.Globalization;

using SleepScoring.Analysis.Montage;
using SleepScoring.Edf;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// A montage source's samples from the EDF: in µV (re-referenced when needed) for conditioning, or
/// only streamed through the clipping check for sources nothing will read. Either way a clipped
/// source gets the same warning. Reads go through one lock: an <see cref="EdfReader"/> is not safe
/// for concurrent reads.
/// </summary>
internal sealed class DerivationSamples(EdfReader reader, object gate)
{
    /// <summary>Samples per read when streaming (a reference signal, or a source only checked).</summary>
    private const int Chunk = 1 << 16;

    /// <summary>
    /// The source as a <see cref="RecordedSignal"/> for <see cref="SignalConditioner"/>, read in
    /// pieces; <see cref="Clipping.Warning"/> gives its clipping warning once the conditioner has read it.
    /// </summary>
    public (RecordedSignal Signal, Clipping Clipping) Recorded(DerivationSource source)
    {
        EdfSignal signal = reader.Signals[source.Signal];
        SignalFilterKind filter = source.Derivation.Role == DerivationRole.Emg ? SignalFilterKind.Emg : SignalFilterKind.BandPass;
        var clipping = new Clipping(source, signal);
        return (new RecordedSignal(signal.SampleCount, signal.SamplingRate, signal.SamplesPerRecord, filter, (first, destination) =>
        {
            lock (gate)
            {
                reader.ReadPhysical(source.Signal, first, destination);
                clipping.Count(destination);
                Scale(destination, source.SignalToMicrovolts);
                if (source.ReferenceSignal is int reference)
                {
                    SubtractReference(first, destination, reference, source.ReferenceToMicrovolts);
                }
            }
        }), clipping);
    }

    /// <summary>The clipping warning of a source read in chunks, without holding its samples.</summary>
    public string? CheckOnly(DerivationSource source)
    {
        EdfSignal signal = reader.Signals[source.Signal];
        var clipping = new Clipping(source, signal);
        float[] chunk = ArrayPool<float>.Shared.Rent((int)Math.Min(Chunk, Math.Max(1, signal.SampleCount)));
        try
        {
            lock (gate)
            {
                for (long at = 0; at < signal.SampleCount; at += chunk.Length)
                {
                    Span<float> part = chunk.AsSpan(0, (int)Math.Min(chunk.Length, signal.SampleCount - at));
                    reader.ReadPhysical(source.Signal, at, part);
                    clipping.Count(part);
                }
            }

            return clipping.Warning();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(chunk);
        }
    }

    /// <summary>Counts a source's samples at its physical limits as they are read; warns when they are too many.</summary>
    internal sealed class Clipping(DerivationSource source, EdfSignal signal)
    {
        private long clipped;
        private long read;

        public void Count(ReadOnlySpan<float> physical)
        {
            clipped += SignalQuality.ClippedCount(physical, signal.PhysicalMinimum, signal.PhysicalMaximum);
            read += physical.Length;
        }

        /// <summary>The warning, or null, over the samples read (all of them, once the conditioner is done).</summary>
        public string? Warning()
        {
            double share = read == 0 ? 0 : (double)clipped / read;
            return share >= SignalQuality.ClippedShare
                ? string.Create(CultureInfo.InvariantCulture, $"{source.Derivation.Name} ('{signal.Label}') is clipped: {share:P1} of its samples sit at the physical limits {signal.PhysicalMinimum}…{signal.PhysicalMaximum}.")
                : null;
        }
    }

    private static void Scale(Span<float> samples, double factor)
    {
        if (factor == 1)
        {
            return;
        }

        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(samples[i] * factor);
        }
    }

    /// <summary>Subtracts the reference signal (same rate; over the shorter of the two lengths) from samples [first, first + samples.Length).</summary>
    private void SubtractReference(long first, Span<float> samples, int reference, double factor)
    {
        long length = Math.Clamp(reader.Signals[reference].SampleCount - first, 0, samples.Length);
        float[] chunk = ArrayPool<float>.Shared.Rent((int)Math.Min(Chunk, Math.Max(1, length)));
        try
        {
            for (int at = 0; at < length; at += chunk.Length)
            {
                Span<float> part = chunk.AsSpan(0, (int)Math.Min(chunk.Length, length - at));
                reader.ReadPhysical(reference, first + at, part);
                Span<float> target = samples.Slice(at, part.Length);
                for (int i = 0; i < part.Length; i++)
                {
                    target[i] -= (float)(part[i] * factor);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(chunk);
        }
    }
}
