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
    /// The source as a <see cref="RecordedSignal"/> for <see cref="SignalConditioner"/>; its clipping
    /// warning (or null) goes to <paramref name="warn"/> when the conditioner reads it.
    /// </summary>
    public RecordedSignal Recorded(DerivationSource source, Action<string?> warn)
    {
        EdfSignal signal = reader.Signals[source.Signal];
        SignalFilterKind filter = source.Derivation.Role == DerivationRole.Emg ? SignalFilterKind.Emg : SignalFilterKind.BandPass;
        return new RecordedSignal(Length(signal), signal.SamplingRate, signal.SamplesPerRecord, filter, destination =>
        {
            lock (gate)
            {
                reader.ReadPhysical(source.Signal, 0, destination);
                warn(Warning(source, signal, SignalQuality.ClippedCount(destination, signal.PhysicalMinimum, signal.PhysicalMaximum), destination.Length));
                Scale(destination, source.SignalToMicrovolts);
                if (source.ReferenceSignal is int reference)
                {
                    SubtractReference(destination, reference, source.ReferenceToMicrovolts);
                }
            }
        });
    }

    /// <summary>The clipping warning of a source read in chunks, without holding its samples.</summary>
    public string? CheckOnly(DerivationSource source)
    {
        EdfSignal signal = reader.Signals[source.Signal];
        int length = Length(signal);
        float[] chunk = ArrayPool<float>.Shared.Rent(Math.Min(Chunk, Math.Max(1, length)));
        try
        {
            long clipped = 0;
            lock (gate)
            {
                for (int at = 0; at < length; at += chunk.Length)
                {
                    Span<float> part = chunk.AsSpan(0, Math.Min(chunk.Length, length - at));
                    reader.ReadPhysical(source.Signal, at, part);
                    clipped += SignalQuality.ClippedCount(part, signal.PhysicalMinimum, signal.PhysicalMaximum);
                }
            }

            return Warning(source, signal, clipped, length);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(chunk);
        }
    }

    private static int Length(EdfSignal signal) => signal.SampleCount <= Array.MaxLength
        ? (int)signal.SampleCount
        : throw new InvalidOperationException($"Signal {signal.Index} has {signal.SampleCount} samples, more than one array holds; read it in parts.");

    private static string? Warning(DerivationSource source, EdfSignal signal, long clippedSamples, int length)
    {
        double clipped = length == 0 ? 0 : (double)clippedSamples / length;
        return clipped >= SignalQuality.ClippedShare
            ? string.Create(CultureInfo.InvariantCulture, $"{source.Derivation.Name} ('{signal.Label}') is clipped: {clipped:P1} of its samples sit at the physical limits {signal.PhysicalMinimum}…{signal.PhysicalMaximum}.")
            : null;
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

    /// <summary>Subtracts the reference signal (same rate; over the shorter of the two lengths) in chunks.</summary>
    private void SubtractReference(Span<float> samples, int reference, double factor)
    {
        int length = (int)Math.Min(samples.Length, reader.Signals[reference].SampleCount);
        float[] chunk = ArrayPool<float>.Shared.Rent(Math.Min(Chunk, Math.Max(1, length)));
        try
        {
            for (int at = 0; at < length; at += chunk.Length)
            {
                Span<float> part = chunk.AsSpan(0, Math.Min(chunk.Length, length - at));
                reader.ReadPhysical(reference, at, part);
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
