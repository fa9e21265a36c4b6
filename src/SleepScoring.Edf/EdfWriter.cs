using System.Buffers.Binary;

namespace SleepScoring.Edf;

/// <summary>Writes the physical values from <paramref name="first"/> into <paramref name="destination"/> (see <see cref="EdfWriter.AddSignal(EdfSignalSpec, long, PhysicalSampleSource)"/>).</summary>
public delegate void PhysicalSampleSource(long first, Span<float> destination);

/// <summary>
/// Writes EDF+C (or plain EDF) files: header with EDF+ patient/recording subfields and start time
/// (sub-second start in the time-keeping TALs), signals from physical or digital samples, and
/// annotations as UTF-8 TALs in an annotation signal sized to fit. Writing digital samples and
/// reading them back is exact.
/// </summary>
public sealed class EdfWriter
{
    private readonly List<(EdfSignalSpec Spec, ReadOnlyMemory<float> Physical, ReadOnlyMemory<int> Digital, bool IsPhysical, PhysicalSampleSource? Source, long SourceLength)> _signals = [];
    private readonly List<EdfAnnotation> _annotations = [];
    private float[] _generated = [];

    /// <summary><see cref="EdfFileType.EdfPlusC"/> (default) or <see cref="EdfFileType.Edf"/> (no annotations).</summary>
    public EdfFileType FileType { get; init; } = EdfFileType.EdfPlusC;

    /// <summary>Start of the recording; fractions of a second go into the time-keeping TALs (EDF+; plain EDF keeps whole seconds).</summary>
    public DateTime StartTime { get; init; } = new(2000, 1, 1);

    /// <summary>Seconds per data record; 0 only for annotation-only files.</summary>
    public double RecordDuration { get; init; } = 1;

    /// <summary>EDF+ patient subfields (all unknown by default).</summary>
    public EdfPatient Patient { get; init; } = new();

    /// <summary>EDF+ recording subfields; the start date is taken from <see cref="StartTime"/>.</summary>
    public EdfRecording Recording { get; init; } = new();

    /// <summary>Free text for the patient field of a plain EDF file (EDF+ files use <see cref="Patient"/>).</summary>
    public string PlainPatientIdentification { get; init; } = string.Empty;

    /// <summary>Free text for the recording field of a plain EDF file.</summary>
    public string PlainRecordingIdentification { get; init; } = string.Empty;

    /// <summary>Adds a signal given in physical units; values are scaled, rounded and clipped to the digital range.</summary>
    public EdfWriter AddSignal(EdfSignalSpec spec, ReadOnlyMemory<float> physical)
    {
        Validate(spec);
        _signals.Add((spec, physical, default, true, null, 0));
        return this;
    }

    /// <summary>
    /// Adds a signal of <paramref name="sampleCount"/> physical values produced record by record by
    /// <paramref name="source"/> (in order, each value once), so a file larger than memory can be written.
    /// </summary>
    public EdfWriter AddSignal(EdfSignalSpec spec, long sampleCount, PhysicalSampleSource source)
    {
        Validate(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        ArgumentNullException.ThrowIfNull(source);
        _signals.Add((spec, default, default, true, source, sampleCount));
        return this;
    }

    /// <summary>Adds a signal given as digital values (must lie within the spec's digital range).</summary>
    public EdfWriter AddDigitalSignal(EdfSignalSpec spec, ReadOnlyMemory<int> digital)
    {
        Validate(spec);
        foreach (int d in digital.Span)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(d, spec.DigitalMinimum, nameof(digital));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(d, spec.DigitalMaximum, nameof(digital));
        }

        _signals.Add((spec, default, digital, false, null, 0));
        return this;
    }

    /// <summary>Adds an annotation (onset in seconds from <see cref="StartTime"/>).</summary>
    public EdfWriter AddAnnotation(EdfAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        if (annotation.Text.Length == 0 || annotation.Text.Any(c => c is '\u0014' or '\u0015' or '\0'))
        {
            throw new ArgumentException("Annotation text must be non-empty and free of 0x00, 0x14, 0x15.", nameof(annotation));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(annotation.Duration ?? 0, nameof(annotation));
        _annotations.Add(annotation);
        return this;
    }

    /// <summary>Adds an annotation.</summary>
    public EdfWriter AddAnnotation(double onset, double? duration, string text) => AddAnnotation(new EdfAnnotation(onset, duration, text));

    /// <summary>Writes the file to <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        using FileStream stream = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(stream);
    }

    /// <summary>Writes the file to <paramref name="stream"/> (left open).</summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        bool plus = FileType == EdfFileType.EdfPlusC;
        if (!plus && (FileType != EdfFileType.Edf || _annotations.Count > 0))
        {
            throw new InvalidOperationException("EdfWriter writes EDF+C, or plain EDF without annotations.");
        }

        long records = RecordCount();
        double fraction = (StartTime.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        byte[][] tals = plus ? TalEncoder.Encode(_annotations, records, RecordDuration, fraction) : [];
        int annotationSamples = plus ? Math.Max(1, (tals.Max(t => t.Length) + 1) / 2) : 0;

        List<EdfSignalSpec> specs = [.. _signals.Select(s => s.Spec)];
        if (plus)
        {
            specs.Add(new EdfSignalSpec("EDF Annotations", -1, 1, annotationSamples));
        }

        EdfHeaderWriter header = new(this, specs, records);
        stream.Write(header.Bytes);
        WriteRecords(stream, header, records, tals);
    }

    private void WriteRecords(Stream stream, EdfHeaderWriter header, long records, byte[][] tals)
    {
        byte[] record = new byte[header.RecordBytes];
        for (long r = 0; r < records; r++)
        {
            int at = 0;
            for (int s = 0; s < _signals.Count; s++)
            {
                int spr = _signals[s].Spec.SamplesPerRecord;
                FillSegment(s, header.Scale(s), r * spr, record.AsSpan(at, spr * 2));
                at += spr * 2;
            }

            if (tals.Length > 0)
            {
                record.AsSpan(at).Clear();
                tals[r].CopyTo(record, at);
            }

            stream.Write(record);
        }
    }

    private void FillSegment(int s, (double Gain, double Offset) scale, long first, Span<byte> segment)
    {
        var (spec, physical, digital, isPhysical, source, _) = _signals[s];
        int count = segment.Length / 2;
        int available = (int)Math.Clamp(Length(s) - first, 0, count);
        ReadOnlySpan<float> physicalPart = default;
        if (source is not null)
        {
            Span<float> generated = _generated.Length >= available ? _generated.AsSpan(0, available) : (_generated = new float[available]);
            source(first, generated);
            physicalPart = generated;
        }
        else if (isPhysical)
        {
            physicalPart = physical.Span.Slice((int)first, available);
        }
        ReadOnlySpan<int> digitalPart = isPhysical ? default : digital.Span.Slice((int)first, available);
        short pad = (short)Math.Clamp(0, spec.DigitalMinimum, spec.DigitalMaximum);
        for (int i = 0; i < count; i++)
        {
            int value = i >= available ? pad : isPhysical ? ToDigital(physicalPart[i], scale, spec) : digitalPart[i];
            BinaryPrimitives.WriteInt16LittleEndian(segment[(i * 2)..], (short)value);
        }
    }

    private static int ToDigital(float physical, (double Gain, double Offset) scale, EdfSignalSpec spec)
    {
        double d = scale.Gain == 0 || float.IsNaN(physical) ? spec.DigitalMinimum : Math.Round((physical - scale.Offset) / scale.Gain);
        return (int)Math.Clamp(d, spec.DigitalMinimum, spec.DigitalMaximum);
    }

    /// <summary>Records needed by the longest signal (last one padded); annotation-only files cover the last onset.</summary>
    private long RecordCount()
    {
        if (_signals.Count == 0)
        {
            double last = _annotations.Count == 0 ? 0 : _annotations.Max(a => a.Onset);
            return RecordDuration > 0 ? Math.Max(1, (long)Math.Floor(last / RecordDuration) + 1) : 1;
        }

        if (RecordDuration <= 0)
        {
            throw new InvalidOperationException("A record duration of 0 is only allowed for annotation-only files.");
        }

        long[] counts = [.. _signals.Select((s, i) => (Length(i) + s.Spec.SamplesPerRecord - 1) / s.Spec.SamplesPerRecord)];
        if (counts.Distinct().Count() > 1)
        {
            throw new InvalidOperationException($"Signals span different numbers of records ({string.Join(", ", counts)}): give every signal the same duration.");
        }

        return counts[0];
    }

    private long Length(int s) => _signals[s] switch
    {
        { Source: not null } g => g.SourceLength,
        { IsPhysical: true } p => p.Physical.Length,
        var d => d.Digital.Length,
    };

    private static void Validate(EdfSignalSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.SamplesPerRecord, 1, nameof(spec));
        if (spec.DigitalMinimum < short.MinValue || spec.DigitalMaximum > short.MaxValue || spec.DigitalMinimum >= spec.DigitalMaximum)
        {
            throw new ArgumentException($"Signal '{spec.Label}': the digital range {spec.DigitalMinimum}..{spec.DigitalMaximum} must be increasing and within 16 bits.", nameof(spec));
        }
    }
}
