using System.Collections.Concurrent;

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
/// conditioned in parallel, one per core. Everything streams: a signal is read in pieces (each
/// sample once), resampled through a sliding window (<see cref="Resampler.InputRange"/>) into its
/// track, and each segment is then filtered by <see cref="ZeroPhaseStream"/>, whose forward pass
/// goes to the <see cref="ConditioningStorage"/>. With a storage in files, memory holds a few
/// chunks per worker whatever the night's length; in memory, the tracks and one filter pass. The
/// result is the same either way, bit for bit. Thread-safe: resamplers are designed once per rate
/// and shared.
/// </summary>
public sealed class SignalConditioner(ConditioningOptions options)
{
    /// <summary>The model's sampling rate in Hz.</summary>
    public const double ModelRate = 100;

    /// <summary>Output samples resampled per step (the input window is this many times the rate ratio, plus the filter's taps).</summary>
    private const int OutputBlock = 4 * 1024;

    /// <summary>Samples per read of a source at its own rate.</summary>
    private const int ReadBlock = 64 * 1024;

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
            [.. inputs.Select(i => new RecordedSignal(i.Samples.Length, i.SamplingRate, i.SamplesPerRecord, i.Filter, (first, destination) => i.Samples.AsSpan((int)first, destination.Length).CopyTo(destination)))],
            segments,
            duration);
    }

    /// <summary>Conditions every signal into round(duration × 100) samples each, in input order, in memory.</summary>
    public float[][] ConditionAll(IReadOnlyList<RecordedSignal> signals, IReadOnlyList<DataSegment> segments, double duration)
    {
        ArgumentNullException.ThrowIfNull(signals);
        SampleStore<float>[] tracks = [.. signals.Select(_ => ConditioningStorage.Memory.NewTrack(TrackLength(duration)))];
        ConditionInto(signals, segments, duration, tracks, ConditioningStorage.Memory);
        return [.. tracks.Select(t => t.ToArray())];
    }

    /// <summary>Samples of a conditioned track of a recording of <paramref name="duration"/> seconds: round(duration × 100).</summary>
    public static long TrackLength(double duration) => (long)Math.Round(duration * ModelRate);

    /// <summary>
    /// Conditions signal i into <paramref name="tracks"/>[i] (each <see cref="TrackLength"/> long and
    /// zeroed), keeping filter passes and notched samples in <paramref name="storage"/>.
    /// </summary>
    public void ConditionInto(IReadOnlyList<RecordedSignal> signals, IReadOnlyList<DataSegment> segments, double duration, IReadOnlyList<SampleStore<float>> tracks, ConditioningStorage storage)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(storage);
        long length = TrackLength(duration);
        if (tracks.Count != signals.Count || tracks.Any(t => t.Length != length))
        {
            throw new ArgumentException($"{signals.Count} signals need {signals.Count} tracks of {length} samples.", nameof(tracks));
        }

        ZeroPhaseFilter bandPass = ZeroPhaseFilter.BandPass(ModelRate, Options.HighPass, Options.LowPass);
        ZeroPhaseFilter emg = new([Biquad.HighPass(ModelRate, Options.EmgHighPass)]);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, signals.Count, parallel, i =>
        {
            RecordedSignal signal = signals[i];
            ZeroPhaseFilter? filter = signal.Filter switch
            {
                SignalFilterKind.BandPass => bandPass,
                SignalFilterKind.Emg when signal.SamplingRate >= 25 => emg,
                _ => null,
            };

            // All segments are placed first, then each is filtered in its track: the order of the whole-night algorithm.
            foreach (DataSegment segment in segments)
            {
                Place(signal, segment, tracks[i], storage);
            }

            foreach (DataSegment segment in filter is null ? [] : segments)
            {
                long at = (long)Math.Round(segment.Start * ModelRate);
                long count = Math.Min((long)Math.Round(segment.Duration * ModelRate), length - at);
                if (count > 0)
                {
                    FilterInPlace(filter!, tracks[i], at, count, storage);
                }
            }
        });
    }

    /// <summary>Notches (at the original rate) and resamples one segment of a signal onto its place in the track; reads every sample of the segment once.</summary>
    private void Place(RecordedSignal signal, DataSegment segment, SampleStore<float> track, ConditioningStorage storage)
    {
        long first = (long)segment.FirstRecord * signal.SamplesPerRecord;
        long count = Math.Min((long)segment.RecordCount * signal.SamplesPerRecord, signal.SampleCount - first);
        if (count <= 0)
        {
            return;
        }

        SampleStore<float>? notched = null;
        try
        {
            SampleReader source = (start, destination) => signal.Read(first + start, destination);
            if (Options.Mains is double mains && mains < 0.45 * signal.SamplingRate)
            {
                notched = storage.NewScratch(count);
                Notch(source, count, ZeroPhaseFilter.Notch(signal.SamplingRate, mains), notched, storage);
                source = notched.Read;
            }

            long at = (long)Math.Round(segment.Start * ModelRate);
            long room = track.Length - at;
            if (signal.SamplingRate == ModelRate)
            {
                Copy(source, count, track, at, room);
            }
            else
            {
                Resample(_resamplers.GetOrAdd(signal.SamplingRate, rate => new Resampler(rate, ModelRate)), source, count, track, at, room);
            }
        }
        finally
        {
            notched?.Dispose();
        }
    }

    /// <summary>The mains notch, zero phase, over the segment's samples at their own rate.</summary>
    private static void Notch(SampleReader source, long count, ZeroPhaseFilter notch, SampleStore<float> notched, ConditioningStorage storage)
    {
        using SampleStore<double> pass = storage.NewPass(ZeroPhaseStream.PassLength(notch, count));
        var stream = new ZeroPhaseStream(notch, count, pass);
        float[] block = new float[ReadBlock];
        for (long at = 0; at < count; at += ReadBlock)
        {
            Span<float> part = block.AsSpan(0, (int)Math.Min(ReadBlock, count - at));
            source(at, part);
            stream.Push(part);
        }

        stream.Finish(notched.Write);
    }

    /// <summary>A 100-Hz source: copied as it is, the part past the track's end read and dropped.</summary>
    private static void Copy(SampleReader source, long count, SampleStore<float> track, long at, long room)
    {
        float[] block = new float[ReadBlock];
        for (long done = 0; done < count; done += ReadBlock)
        {
            Span<float> part = block.AsSpan(0, (int)Math.Min(ReadBlock, count - done));
            source(done, part);
            long fits = Math.Clamp(room - done, 0, part.Length);
            if (fits > 0)
            {
                track.Write(at + done, part[..(int)fits]);
            }
        }
    }

    /// <summary>
    /// Resamples through a window that slides along the input: each block of outputs reads only the
    /// input it needs beyond what the window holds, so every input sample is read once.
    /// </summary>
    private static void Resample(Resampler resampler, SampleReader source, long count, SampleStore<float> track, long at, long room)
    {
        long produced = Math.Min(resampler.OutputLength(count), Math.Max(0, room));
        var window = new SlidingWindow(source, count);
        float[] output = new float[OutputBlock];
        for (long n = 0; n < produced; n += OutputBlock)
        {
            int block = (int)Math.Min(OutputBlock, produced - n);
            (long start, long end) = resampler.InputRange(n, block, count);
            ReadOnlySpan<float> input = window.Hold(start, end);
            resampler.Process(input, start, count, n, output.AsSpan(0, block));
            track.Write(at + n, output.AsSpan(0, block));
        }

        window.Hold(count, count); // the rest is read too: readers count what they read
    }

    /// <summary>The zero-phase filter over [at, at + count) of the track, written back in place.</summary>
    private static void FilterInPlace(ZeroPhaseFilter filter, SampleStore<float> track, long at, long count, ConditioningStorage storage)
    {
        using SampleStore<double> pass = storage.NewPass(ZeroPhaseStream.PassLength(filter, count));
        var stream = new ZeroPhaseStream(filter, count, pass);
        float[] block = new float[ReadBlock];
        for (long done = 0; done < count; done += ReadBlock)
        {
            Span<float> part = block.AsSpan(0, (int)Math.Min(ReadBlock, count - done));
            track.Read(at + done, part);
            stream.Push(part);
        }

        stream.Finish((start, values) => track.Write(at + start, values));
    }

    /// <summary>
    /// The part of a source a resampler reads now: [from, to) moves forward only, so the window
    /// drops what lies before <c>from</c>, keeps the overlap and reads only what is new. Every
    /// sample of the source is read once, even those no output needs (they are read and dropped).
    /// </summary>
    private sealed class SlidingWindow(SampleReader source, long count)
    {
        private float[] buffer = new float[ReadBlock];
        private long start; // buffer[0] holds sample 'start'; samples [start, end) are held
        private long end;

        public ReadOnlySpan<float> Hold(long from, long to)
        {
            to = Math.Min(to, count);
            if (from >= end)
            {
                Skip(from); // nothing held is needed any more
                start = end;
            }
            else if (from > start)
            {
                buffer.AsSpan((int)(from - start), (int)(end - from)).CopyTo(buffer);
                start = from;
            }

            if (to > end)
            {
                if (to - start > buffer.Length)
                {
                    Array.Resize(ref buffer, (int)(to - start));
                }

                source(end, buffer.AsSpan((int)(end - start), (int)(to - end)));
                end = to;
            }

            return buffer.AsSpan((int)(from - start), (int)Math.Max(0, to - from));
        }

        /// <summary>Reads and drops [end, until).</summary>
        private void Skip(long until)
        {
            until = Math.Min(until, count);
            while (end < until)
            {
                int n = (int)Math.Min(buffer.Length, until - end);
                source(end, buffer.AsSpan(0, n));
                end += n;
            }
        }
    }
}
