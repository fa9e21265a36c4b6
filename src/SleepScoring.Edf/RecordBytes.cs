using System.Buffers;

namespace SleepScoring.Edf;

/// <summary>Converts one contiguous run of raw samples into <typeparamref name="T"/>.</summary>
internal delegate void SampleConverter<T>(ReadOnlySpan<byte> source, Span<T> destination, in SampleFormat format);

/// <summary>Receives the raw bytes of one signal in one data record.</summary>
internal delegate void SegmentVisitor(ReadOnlySpan<byte> bytes, long record, long fileOffset);

/// <summary>
/// Where each signal's bytes lie in the data records, and the streaming reads over them. Reads use
/// one pooled buffer of at most 256 KB (it stays in the CPU cache while it is decoded). A signal is
/// read one segment per record, skipping the other signals; only records of at most a page are read
/// in blocks, where one copy of a page costs less than one more system call.
/// </summary>
internal sealed class RecordBytes(ByteSource source, ParsedHeader header)
{
    private const int BlockBytes = 256 * 1024;
    private const int SmallRecordBytes = 4096;

    private readonly long _dataStart = header.HeaderBytes;
    private readonly long _recordSize = header.RecordSize;
    private readonly int _bytesPerSample = header.FileType.BytesPerSample();

    /// <summary>File offset of <paramref name="signal"/>'s bytes in data record <paramref name="record"/>.</summary>
    public long SegmentOffset(EdfSignal signal, long record) => _dataStart + (record * _recordSize) + signal.OffsetInRecord;

    public int SegmentBytes(EdfSignal signal) => signal.SamplesPerRecord * _bytesPerSample;

    /// <summary>The first TAL of an annotation signal in one record (null when the record holds none).</summary>
    public Tal? TimeKeeping(EdfSignal signal, long record, List<EdfWarning> warnings)
    {
        Tal? first = null;
        VisitSegments(signal, record, record + 1, (bytes, r, offset) => first = new TalParser(signal.Label, r, warnings).ParseFirst(bytes, offset));
        return first;
    }

    /// <summary>Calls <paramref name="visit"/> with the bytes of <paramref name="signal"/> in records [from, to).</summary>
    public void VisitSegments(EdfSignal signal, long from, long to, SegmentVisitor visit)
    {
        int length = SegmentBytes(signal);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            for (long r = from; r < to; r++)
            {
                long offset = SegmentOffset(signal, r);
                source.ReadExactly(offset, buffer.AsSpan(0, length));
                visit(buffer.AsSpan(0, length), r, offset);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads <paramref name="destination"/>.Length samples of one signal starting at <paramref name="firstSample"/>.</summary>
    public void Read<T>(EdfSignal signal, long firstSample, Span<T> destination, SampleConverter<T> convert, in SampleFormat format)
    {
        int segment = SegmentBytes(signal);
        bool blocks = _recordSize <= SmallRecordBytes;
        int bufferBytes = blocks ? (int)(_recordSize * Math.Max(1, BlockBytes / _recordSize)) : Math.Min(segment, BlockBytes);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        try
        {
            if (blocks)
            {
                ReadInBlocks(signal, firstSample, destination, convert, format, buffer.AsSpan(0, bufferBytes));
            }
            else
            {
                ReadBySegment(signal, firstSample, destination, convert, format, buffer.AsSpan(0, bufferBytes));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One pass over all records, decoding every ordinary signal (annotation signals get empty arrays).</summary>
    public float[][] ReadAllPhysical()
    {
        IReadOnlyList<EdfSignal> signals = header.Signals;
        float[][] result = new float[signals.Count][];
        for (int s = 0; s < signals.Count; s++)
        {
            // Every element is overwritten, so skip zeroing these (typically large) arrays.
            result[s] = signals[s].IsAnnotation ? [] : GC.AllocateUninitializedArray<float>(checked((int)signals[s].SampleCount));
        }

        ReadAllPhysical(result);
        return result;
    }

    /// <summary>One pass over all records into caller-owned arrays (each at least the signal's sample count; annotation signals ignored).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void ReadAllPhysical(float[][] destination)
    {
        EdfSignal[] signals = [.. header.Signals.Where(s => !s.IsAnnotation)];
        SampleFormat[] formats = [.. signals.Select(FormatOf)];
        long perBlock = Math.Max(1, BlockBytes / _recordSize);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)(perBlock * _recordSize));
        try
        {
            for (long r = 0; r < header.RecordCount; r += perBlock)
            {
                long count = Math.Min(perBlock, header.RecordCount - r);
                Span<byte> block = buffer.AsSpan(0, (int)(count * _recordSize));
                source.ReadExactly(_dataStart + (r * _recordSize), block);
                for (int k = 0; k < count; k++)
                {
                    for (int i = 0; i < signals.Length; i++)
                    {
                        EdfSignal signal = signals[i];
                        Span<byte> bytes = block.Slice((int)((k * _recordSize) + signal.OffsetInRecord), SegmentBytes(signal));
                        SampleDecoder.ToPhysical(bytes, destination[signal.Index].AsSpan((int)((r + k) * signal.SamplesPerRecord), signal.SamplesPerRecord), formats[i]);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public SampleFormat FormatOf(EdfSignal signal) => new(_bytesPerSample == 3, (float)signal.Gain, (float)signal.Offset);

    private void ReadBySegment<T>(EdfSignal signal, long firstSample, Span<T> destination, SampleConverter<T> convert, in SampleFormat format, Span<byte> buffer)
    {
        int spr = signal.SamplesPerRecord;
        int maxSamples = buffer.Length / _bytesPerSample;
        int done = 0;
        while (done < destination.Length)
        {
            long sample = firstSample + done;
            long record = sample / spr;
            int within = (int)(sample - (record * spr));
            int n = Math.Min(Math.Min(spr - within, destination.Length - done), maxSamples);
            Span<byte> bytes = buffer[..(n * _bytesPerSample)];
            source.ReadExactly(SegmentOffset(signal, record) + ((long)within * _bytesPerSample), bytes);
            convert(bytes, destination.Slice(done, n), format);
            done += n;
        }
    }

    private void ReadInBlocks<T>(EdfSignal signal, long firstSample, Span<T> destination, SampleConverter<T> convert, in SampleFormat format, Span<byte> buffer)
    {
        int spr = signal.SamplesPerRecord;
        long perBlock = buffer.Length / _recordSize;
        long end = firstSample + destination.Length;
        int done = 0;
        while (done < destination.Length)
        {
            long sample = firstSample + done;
            long record = sample / spr;
            long lastRecord = Math.Min(record + perBlock, ((end - 1) / spr) + 1) - 1;
            long blockStart = SegmentOffset(signal, record) + ((sample - (record * spr)) * _bytesPerSample);
            long blockEnd = SegmentOffset(signal, lastRecord) + ((Math.Min(end, (lastRecord + 1) * spr) - (lastRecord * spr)) * _bytesPerSample);
            Span<byte> block = buffer[..(int)(blockEnd - blockStart)];
            source.ReadExactly(blockStart, block);
            for (long r = record; r <= lastRecord; r++)
            {
                long from = Math.Max(firstSample + done, r * spr);
                int n = (int)(Math.Min(end, (r + 1) * spr) - from);
                long at = SegmentOffset(signal, r) + ((from - (r * spr)) * _bytesPerSample) - blockStart;
                convert(block.Slice((int)at, n * _bytesPerSample), destination.Slice(done, n), format);
                done += n;
            }
        }
    }
}
