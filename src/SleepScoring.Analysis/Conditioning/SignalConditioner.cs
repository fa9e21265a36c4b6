using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>One recorded signal to condition: physical samples (µV, records concatenated as stored) and how to filter it.</summary>
/// <param name="Samples">Physical values.</param>
/// <param name="SamplingRate">Samples per second.</param>
/// <param name="SamplesPerRecord">Samples per data record.</param>
/// <param name="Filter">Filter applied after resampling.</param>
public sealed record SignalInput(float[] Samples, double SamplingRate, int SamplesPerRecord, SignalFilterKind Filter);

/// <summary>
/// Turns recorded signals into the model's form: µV at 100 Hz on the recording's clock timeline.
/// Each gap-free segment is processed on its own (optional mains notch at the original rate,
/// anti-aliased resampling, zero-phase filter) so nothing smears across an EDF+D gap; samples
/// inside gaps are zero and their epochs are excluded by <see cref="EpochGrid"/>. Signals are
/// conditioned in parallel, one per core; each worker reads its signal into one reused buffer,
/// writes the 100-Hz result straight into the output and filters it with the same buffer as work
/// space, so the night exists as float once at 100 Hz plus one buffer per worker. Thread-safe: resamplers are designed once per
/// rate and shared.
/// </summary>
public sealed class SignalConditioner(ConditioningOptions options)
{
    /// <summary>The model's sampling rate in Hz.</summary>
    public const double ModelRate = 100;

    private readonly ConcurrentDictionary<double, Resampler> _resamplers = new();

    /// <summary>The filter settings.</summary>
    public ConditioningOptions Options { get; } = options;

    /// <summary>Conditions one signal into round(duration × 100) samples.</summary>
    public float[] Condition(
        ReadOnlySpan<float> samples, double samplingRate, int samplesPerRecord,
        IReadOnlyList<DataSegment> segments, double duration, SignalFilterKind filter) =>
        ConditionAll([new SignalInput(samples.ToArray(), samplingRate, samplesPerRecord, filter)], segments, duration)[0];

    /// <summary>Conditions every input into round(duration × 100) samples each, in input order.</summary>
    public float[][] ConditionAll(IReadOnlyList<SignalInput> inputs, IReadOnlyList<DataSegment> segments, double duration)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return ConditionAll(
            [.. inputs.Select(i => new RecordedSignal(i.Samples.Length, i.SamplingRate, i.SamplesPerRecord, i.Filter, destination => i.Samples.CopyTo(destination)))],
            segments,
            duration);
    }

    /// <summary>Conditions every signal into round(duration × 100) samples each, in input order, reading each when a worker is free.</summary>
    public float[][] ConditionAll(IReadOnlyList<RecordedSignal> signals, IReadOnlyList<DataSegment> segments, double duration)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(segments);
        int length = (int)Math.Round(duration * ModelRate);
        var outputs = new float[signals.Count][];
        ZeroPhaseFilter bandPass = ZeroPhaseFilter.BandPass(ModelRate, Options.HighPass, Options.LowPass);
        ZeroPhaseFilter emg = new([Biquad.HighPass(ModelRate, Options.EmgHighPass)]);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, signals.Count, parallel, () => new Workspace(), (i, _, workspace) =>
        {
            RecordedSignal signal = signals[i];
            ZeroPhaseFilter? filter = signal.Filter switch
            {
                SignalFilterKind.BandPass => bandPass,
                SignalFilterKind.Emg when signal.SamplingRate >= 25 => emg,
                _ => null,
            };

            // One buffer serves twice: first the full-rate samples, then (once they are resampled
            // and dead) the filter's doubles.
            Span<double> buffer = workspace.Reserve(Math.Max((signal.SampleCount + 1) / 2, filter?.WorkLength(length) ?? 0));
            Span<float> samples = MemoryMarshal.Cast<double, float>(buffer)[..signal.SampleCount];
            signal.Read(samples);
            outputs[i] = Place(signal, samples, segments, length);
            foreach (DataSegment segment in filter is null ? [] : segments)
            {
                int at = (int)Math.Round(segment.Start * ModelRate);
                int count = Math.Min((int)Math.Round(segment.Duration * ModelRate), length - at);
                if (count > 0)
                {
                    // Equal to ApplyAll's four-lane path bit for bit, with one night of doubles per signal rather than four.
                    filter!.Apply(outputs[i].AsSpan(at, count), buffer);
                }
            }

            return workspace;
        }, workspace => workspace.Dispose());

        return outputs;
    }

    /// <summary>Notches (in place, in the worker's buffer) and resamples each segment onto the 100-Hz timeline.</summary>
    private float[] Place(RecordedSignal signal, Span<float> samples, IReadOnlyList<DataSegment> segments, int length)
    {
        float[] output = new float[length];
        Resampler resampler = _resamplers.GetOrAdd(signal.SamplingRate, rate => new Resampler(rate, ModelRate));
        foreach (DataSegment segment in segments)
        {
            long first = (long)segment.FirstRecord * signal.SamplesPerRecord;
            long count = Math.Min((long)segment.RecordCount * signal.SamplesPerRecord, samples.Length - first);
            if (count <= 0)
            {
                continue;
            }

            Span<float> piece = samples.Slice((int)first, (int)count);
            if (Options.Mains is double mains && mains < 0.45 * signal.SamplingRate)
            {
                ZeroPhaseFilter.Notch(signal.SamplingRate, mains).Apply(piece);
            }

            int at = (int)Math.Round(segment.Start * ModelRate);
            int room = length - at;
            if (room <= 0)
            {
                continue;
            }

            if (signal.SamplingRate == ModelRate)
            {
                piece[..Math.Min(piece.Length, room)].CopyTo(output.AsSpan(at));
                continue;
            }

            int produced = resampler.OutputLength(piece.Length);
            if (produced <= room)
            {
                resampler.Process(piece, output.AsSpan(at, produced));
                continue;
            }

            // The last segment can resample to a sample or two more than the timeline holds.
            float[] resampled = ArrayPool<float>.Shared.Rent(produced);
            resampler.Process(piece, resampled.AsSpan(0, produced));
            resampled.AsSpan(0, room).CopyTo(output.AsSpan(at));
            ArrayPool<float>.Shared.Return(resampled);
        }

        return output;
    }

    /// <summary>A worker's buffer, grown when a longer signal comes and reused for the next.</summary>
    private sealed class Workspace : IDisposable
    {
        private double[] buffer = [];

        public Span<double> Reserve(int doubles)
        {
            if (buffer.Length < doubles)
            {
                // Uninitialised: the reader and the filter overwrite what they use.
                buffer = GC.AllocateUninitializedArray<double>(doubles);
            }

            return buffer;
        }

        public void Dispose() => buffer = [];
    }
}
