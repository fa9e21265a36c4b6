namespace SleepScoring.Edf;

/// <summary>Sample reads of <see cref="EdfReader"/>: by sample index, whole signal, or by time range.</summary>
public sealed partial class EdfReader
{
    private static readonly SampleConverter<float> s_toPhysical = static (source, destination, in format) => SampleDecoder.ToPhysical(source, destination, format);
    private static readonly SampleConverter<int> s_toDigital = static (source, destination, in format) => SampleDecoder.ToDigital(source, destination, format);

    /// <summary>The whole signal in physical units (as in <see cref="EdfSignal.PhysicalDimension"/>).</summary>
    /// <exception cref="InvalidOperationException">The signal is an annotation signal, or too long for one array.</exception>
    public float[] ReadPhysical(int signal)
    {
        EdfSignal s = PhysicalSignal(signal);
        if (s.SampleCount > Array.MaxLength)
        {
            throw new InvalidOperationException($"Signal {signal} has {s.SampleCount} samples, more than one array holds; read it in parts.");
        }

        // Every element is overwritten, so skip the zeroing of this (typically large) array.
        float[] samples = GC.AllocateUninitializedArray<float>((int)s.SampleCount);
        ReadPhysical(signal, 0, samples);
        return samples;
    }

    /// <summary>
    /// Reads up to <paramref name="destination"/>.Length physical samples from <paramref name="firstSample"/>;
    /// returns the number read (fewer at the end of the signal).
    /// </summary>
    public int ReadPhysical(int signal, long firstSample, Span<float> destination)
    {
        EdfSignal s = PhysicalSignal(signal);
        int count = Clip(s, firstSample, destination.Length);
        return ReadSamples(s, firstSample, destination[..count], s_toPhysical);
    }

    /// <summary>Reads up to <paramref name="destination"/>.Length digital samples from <paramref name="firstSample"/>; returns the number read.</summary>
    public int ReadDigital(int signal, long firstSample, Span<int> destination)
    {
        EdfSignal s = SignalAt(signal);
        int count = Clip(s, firstSample, destination.Length);
        return ReadSamples(s, firstSample, destination[..count], s_toDigital);
    }

    /// <summary>
    /// The physical samples whose time (record onset + index / rate, in seconds from
    /// <see cref="EdfHeader.StartTime"/>) lies in [start, start + duration). In EDF+D files samples
    /// in gaps do not exist, so the result is the concatenation of what the records hold.
    /// </summary>
    public float[] ReadPhysical(int signal, TimeSpan start, TimeSpan duration)
    {
        EdfSignal s = PhysicalSignal(signal);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        List<(long First, int Count)> runs = SampleRuns(s, start.TotalSeconds, start.TotalSeconds + duration.TotalSeconds);
        long total = runs.Sum(run => (long)run.Count);
        if (total > Array.MaxLength)
        {
            throw new InvalidOperationException($"The range holds {total} samples, more than one array holds; read it in parts.");
        }

        float[] samples = new float[total];
        int at = 0;
        foreach ((long first, int count) in runs)
        {
            at += ReadPhysical(signal, first, samples.AsSpan(at, count));
        }

        return samples;
    }

    /// <summary>Every ordinary signal in physical units, in one pass over the file (annotation signals: empty arrays).</summary>
    public float[][] ReadAllPhysical()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Guard(_records.ReadAllPhysical);
    }

    /// <summary>
    /// Every ordinary signal in physical units, in one pass, into caller-owned arrays indexed like
    /// <see cref="Signals"/> (each at least <see cref="EdfSignal.SampleCount"/> long; entries of annotation
    /// signals are ignored). Reusing the arrays across files saves allocating and faulting in fresh memory.
    /// </summary>
    public void ReadAllPhysical(float[][] destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Signals.Count, nameof(destination));
        foreach (EdfSignal s in Signals.Where(s => !s.IsAnnotation))
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(destination[s.Index]?.LongLength ?? 0, s.SampleCount, $"{nameof(destination)}[{s.Index}]");
        }

        _ = Guard(() =>
        {
            _records.ReadAllPhysical(destination);
            return true;
        });
    }

    private int ReadSamples<T>(EdfSignal s, long firstSample, Span<T> destination, SampleConverter<T> convert)
    {
        try
        {
            _records.Read(s, firstSample, destination, convert, _records.FormatOf(s));
            return destination.Length;
        }
        catch (Exception e) when (IsFromBadBytes(e))
        {
            throw new EdfFormatException(s.Label, _records.SegmentOffset(s, firstSample / s.SamplesPerRecord), null, $"could not be read ({e.GetType().Name}: {e.Message})", "data of signal", e);
        }
    }

    /// <summary>Sample index runs (one per record touched) whose times fall in [from, to) seconds.</summary>
    private List<(long First, int Count)> SampleRuns(EdfSignal s, double from, double to)
    {
        // Half a nanosecond of slack so that a boundary computed in floating point still lands on its sample.
        const double Slack = 5e-10;
        List<(long First, int Count)> runs = [];
        double rate = s.SamplingRate;
        for (int r = 0; r < RecordOnsets.Count && rate > 0; r++)
        {
            double onset = RecordOnsets[r];
            long k0 = Math.Max(0, (long)Math.Ceiling(((from - onset) * rate) - Slack));
            long k1 = Math.Min(s.SamplesPerRecord, (long)Math.Ceiling(((to - onset) * rate) - Slack));
            if (k1 > k0)
            {
                long first = ((long)r * s.SamplesPerRecord) + k0;
                if (runs.Count > 0 && runs[^1].First + runs[^1].Count == first)
                {
                    runs[^1] = (runs[^1].First, runs[^1].Count + (int)(k1 - k0));
                }
                else
                {
                    runs.Add((first, (int)(k1 - k0)));
                }
            }
        }

        return runs;
    }

    private EdfSignal SignalAt(int signal)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(signal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(signal, Signals.Count);
        return Signals[signal];
    }

    private EdfSignal PhysicalSignal(int signal)
    {
        EdfSignal s = SignalAt(signal);
        return s.IsAnnotation
            ? throw new InvalidOperationException($"Signal {signal} is an annotation signal; read it with ReadAnnotations().")
            : s;
    }

    private static int Clip(EdfSignal s, long firstSample, int wanted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        return (int)Math.Clamp(s.SampleCount - firstSample, 0, wanted);
    }
}
