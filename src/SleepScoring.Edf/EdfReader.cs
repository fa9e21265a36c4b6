namespace SleepScoring.Edf;

/// <summary>Receives one annotation signal's bytes of one data record (see <see cref="EdfReader.VisitAnnotationSegments"/>).</summary>
internal delegate void AnnotationSegmentVisitor(ReadOnlySpan<byte> bytes, long fileOffset, bool timeKeeping);

/// <summary>
/// Reads EDF, EDF+ (continuous and discontinuous) and BDF/BDF+ files. Opening parses and validates
/// the header against the file length; samples and annotations are read on demand, record by record,
/// through a pooled buffer, so reading one signal never loads the file. Not thread-safe.
/// </summary>
/// <remarks>
/// Bad bytes surface only as <see cref="EdfFormatException"/> (naming field, byte offset and value);
/// tolerated spec violations are listed in <see cref="Warnings"/>. I/O failures of the underlying
/// file or stream propagate as <see cref="IOException"/>.
/// </remarks>
public sealed partial class EdfReader : IDisposable
{
    private readonly ByteSource _source;
    private readonly ParsedHeader _parsed;
    private readonly RecordBytes _records;
    private readonly RecordTimeline _timeline;
    private readonly List<EdfWarning> _warnings;
    private IReadOnlyList<EdfAnnotation>? _annotations;
    private bool _disposed;

    private EdfReader(ByteSource source)
    {
        _source = source;
        _warnings = [];
        _parsed = EdfHeaderParser.Parse(source, _warnings);
        _records = new RecordBytes(source, _parsed);
        _timeline = RecordTimeline.Build(_parsed, _records, _warnings);
        Header = new EdfHeader
        {
            Version = _parsed.Version,
            FileType = _parsed.FileType,
            PatientIdentification = _parsed.PatientIdentification,
            RecordingIdentification = _parsed.RecordingIdentification,
            Patient = _parsed.Patient,
            Recording = _parsed.Recording,
            StartTime = _parsed.StartTime.AddTicks((long)Math.Round(_timeline.StartOffset * TimeSpan.TicksPerSecond)),
            HeaderBytes = _parsed.HeaderBytes,
            Reserved = _parsed.Reserved,
            RecordCount = _parsed.RecordCount,
            RecordDuration = _parsed.RecordDuration,
            SignalCount = _parsed.Signals.Count,
            Duration = _timeline.Duration,
        };
    }

    /// <summary>The general header.</summary>
    public EdfHeader Header { get; }

    /// <summary>All signals in file order, annotation signals included (see <see cref="EdfSignal.IsAnnotation"/>).</summary>
    public IReadOnlyList<EdfSignal> Signals => _parsed.Signals;

    /// <summary>Tolerated violations of the specification found so far (opening, then reading annotations); each listed once.</summary>
    public IReadOnlyList<EdfWarning> Warnings => [.. _warnings.Distinct()];

    /// <summary>Seconds from <see cref="EdfHeader.StartTime"/> at which each data record starts.</summary>
    public IReadOnlyList<double> RecordOnsets => _timeline.Onsets;

    /// <summary>The gaps between the records of an EDF+D file (empty for continuous files).</summary>
    public IReadOnlyList<EdfGap> Gaps => _timeline.Gaps;

    /// <summary>Opens a file for streaming reads.</summary>
    /// <exception cref="EdfFormatException">The file is not a readable EDF/EDF+/BDF file.</exception>
    public static EdfReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OpenSource(ByteSource.ForFile(path));
    }

    /// <summary>
    /// Opens a seekable stream. A non-seekable stream (e.g. a network body) must be buffered first
    /// (to a temporary file or a <see cref="MemoryStream"/>); it is rejected with <see cref="ArgumentException"/>.
    /// </summary>
    /// <exception cref="EdfFormatException">The bytes are not a readable EDF/EDF+/BDF file.</exception>
    public static EdfReader Open(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable and seekable; buffer a network stream to a temporary file first.", nameof(stream));
        }

        return OpenSource(ByteSource.ForStream(stream, leaveOpen));
    }

    /// <summary>
    /// All annotations of all annotation signals, sorted by onset (file order among equal onsets),
    /// without the time-keeping TALs. Parsed once, then cached.
    /// </summary>
    /// <exception cref="EdfFormatException">A TAL is malformed.</exception>
    public IReadOnlyList<EdfAnnotation> ReadAnnotations()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _annotations ??= Guard(() => AnnotationCollector.Collect(_parsed, _records, _timeline.StartOffset, _warnings));
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with the bytes of every annotation signal in every data record
    /// and their file offset; <c>timeKeeping</c> is true for the first annotation signal of an EDF+
    /// file, whose first TAL in each record keeps time.
    /// </summary>
    internal void VisitAnnotationSegments(AnnotationSegmentVisitor visit)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool first = true;
        foreach (EdfSignal signal in _parsed.Signals.Where(s => s.IsAnnotation))
        {
            bool timeKeeping = first && _parsed.FileType.IsPlus();
            first = false;
            _records.VisitSegments(signal, 0, _parsed.RecordCount, (bytes, _, offset) => visit(bytes, offset, timeKeeping));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _source.Dispose();
    }

    private static EdfReader OpenSource(ByteSource source)
    {
        try
        {
            return Guard(() => new EdfReader(source));
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Turns any unexpected exception from parsing bad bytes into <see cref="EdfFormatException"/>.</summary>
    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsFromBadBytes(e))
        {
            throw new EdfFormatException("file", 0, null, $"could not be read ({e.GetType().Name})", "data", e); // the inner exception's message may quote file bytes
        }
    }

    /// <summary>
    /// True for exceptions that can only come from bytes we failed to anticipate (our typed exception,
    /// I/O failures and disposal are the caller's business and pass through unchanged).
    /// </summary>
    private static bool IsFromBadBytes(Exception e)
    {
        return e is not (EdfFormatException or IOException or UnauthorizedAccessException or ObjectDisposedException or OutOfMemoryException);
    }
}
