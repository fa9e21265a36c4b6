namespace SleepScoring.Analysis.Signals;

/// <summary>Receives filtered samples: <paramref name="values"/> belong at [<paramref name="start"/>, start + values.Length).</summary>
public delegate void SampleSink(long start, ReadOnlySpan<float> values);

/// <summary>
/// <see cref="ZeroPhaseFilter.Apply(Span{float})"/> over a signal too long to hold: the samples
/// are pushed in order, the forward pass runs as they arrive and its doubles go to a
/// <see cref="SampleStore{T}"/> (memory or a file); <see cref="Finish"/> runs the backward pass from
/// the end and hands out the filtered samples, last chunk first. The same arithmetic in the same
/// order as the in-memory filter, so the result is equal bit for bit; memory holds one chunk.
/// </summary>
public sealed class ZeroPhaseStream
{
    /// <summary>Doubles per chunk of either pass.</summary>
    public const int ChunkLength = 16 * 1024;

    private readonly ZeroPhaseFilter filter;
    private readonly long length;
    private readonly int pad;
    private readonly SampleStore<double> pass;
    private readonly float[] recent; // the last pad + 1 samples, by position modulo pad + 1
    private readonly double[] chunk = new double[ChunkLength];
    private readonly double[] state;
    private long pushed;
    private long written;
    private int chunked;
    private bool started;

    /// <param name="filter">The filter.</param>
    /// <param name="length">Samples that will be pushed.</param>
    /// <param name="pass">Holds the forward pass: <see cref="PassLength"/> doubles.</param>
    public ZeroPhaseStream(ZeroPhaseFilter filter, long length, SampleStore<double> pass)
    {
        this.filter = filter ?? throw new ArgumentNullException(nameof(filter));
        this.pass = pass ?? throw new ArgumentNullException(nameof(pass));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        this.length = length;
        pad = length == 0 ? 0 : filter.Pad(length);
        if (pass.Length < PassLength(filter, length))
        {
            throw new ArgumentException($"Filtering {length} samples needs {PassLength(filter, length)} doubles for the forward pass; the store holds {pass.Length}.", nameof(pass));
        }

        recent = new float[pad + 1];
        state = new double[filter.StateLength];
    }

    /// <summary>Doubles of forward pass for <paramref name="length"/> samples: the samples and the odd extension at both ends.</summary>
    public static long PassLength(ZeroPhaseFilter filter, long length)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return length == 0 ? 0 : length + (2L * filter.Pad(length));
    }

    /// <summary>The next samples of the signal.</summary>
    public void Push(ReadOnlySpan<float> samples)
    {
        if (pushed + samples.Length > length)
        {
            throw new InvalidOperationException($"{pushed + samples.Length} samples pushed into a stream of {length}.");
        }

        int i = 0;
        for (; !started && i < samples.Length; i++)
        {
            recent[pushed % recent.Length] = samples[i];
            pushed++;
            if (pushed == Math.Min(pad + 1, length))
            {
                Begin();
            }
        }

        ReadOnlySpan<float> rest = samples[i..];
        for (int j = Math.Max(0, rest.Length - recent.Length); j < rest.Length; j++)
        {
            recent[(pushed + j) % recent.Length] = rest[j]; // only the last pad + 1 samples are kept
        }

        pushed += rest.Length;
        while (!rest.IsEmpty)
        {
            int n = Math.Min(rest.Length, ChunkLength - chunked);
            for (int k = 0; k < n; k++)
            {
                chunk[chunked + k] = rest[k];
            }

            chunked += n;
            rest = rest[n..];
            if (chunked == ChunkLength)
            {
                Flush();
            }
        }
    }

    /// <summary>Runs the backward pass and hands the filtered samples to <paramref name="sink"/>, from the end of the signal to its start.</summary>
    public void Finish(SampleSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (pushed != length)
        {
            throw new InvalidOperationException($"{pushed} of {length} samples were pushed.");
        }

        if (length == 0)
        {
            return;
        }

        double last = Sample(length - 1);
        for (int i = 0; i < pad; i++)
        {
            Append((2 * last) - Sample(length - 2 - i)); // odd extension at the end
        }

        Flush();
        long total = length + (2L * pad);
        Span<double> one = stackalloc double[1];
        pass.Read(total - 1, one);
        filter.Start(state, one[0]);
        float[] filtered = new float[ChunkLength];
        for (long end = total; end > 0;)
        {
            long start = Math.Max(0, end - ChunkLength);
            Span<double> x = chunk.AsSpan(0, (int)(end - start));
            pass.Read(start, x);
            x.Reverse();
            filter.Continue(x, state);
            x.Reverse();
            long from = Math.Max(start, pad), to = Math.Min(end, pad + length);
            if (to > from)
            {
                Span<float> values = filtered.AsSpan(0, (int)(to - from));
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)x[(int)(from - start) + i];
                }

                sink(from - pad, values);
            }

            end = start;
        }
    }

    private double Sample(long position) => recent[position % recent.Length];

    /// <summary>The first pad + 1 samples are in: the odd extension at the start, then those samples.</summary>
    private void Begin()
    {
        started = true;
        double first = Sample(0);
        filter.Start(state, pad > 0 ? (2 * first) - Sample(pad) : first);
        for (int index = 0; index < pad; index++)
        {
            Append((2 * first) - Sample(pad - index));
        }

        for (long i = 0; i < pushed; i++)
        {
            Append(Sample(i));
        }
    }

    private void Append(double value)
    {
        chunk[chunked++] = value;
        if (chunked == ChunkLength)
        {
            Flush();
        }
    }

    private void Flush()
    {
        Span<double> x = chunk.AsSpan(0, chunked);
        filter.Continue(x, state);
        pass.Write(written, x);
        written += chunked;
        chunked = 0;
    }
}
