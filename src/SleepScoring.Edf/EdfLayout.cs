namespace SleepScoring.Edf;

/// <summary>
/// Where the general header's fields lie (EDF specification: fixed-width ASCII, space padded).
/// The one place that knows these offsets: the parser, the writer's checks, the fixed-header
/// check and the de-identifier read them from here.
/// </summary>
internal static class EdfLayout
{
    public const int FixedHeaderBytes = 256;
    public const int VersionOffset = 0, VersionWidth = 8;
    public const int PatientOffset = 8, PatientWidth = 80;
    public const int RecordingOffset = 88, RecordingWidth = 80;
    public const int StartDateOffset = 168, StartTimeOffset = 176, DateTimeWidth = 8;
    public const int HeaderBytesOffset = 184, HeaderBytesWidth = 8;
    public const int ReservedOffset = 192, ReservedWidth = 44;
    public const int RecordCountOffset = 236, RecordCountWidth = 8;
    public const int RecordDurationOffset = 244, RecordDurationWidth = 8;
    public const int SignalCountOffset = 252, SignalCountWidth = 4;

    /// <summary>Bytes of each signal's header (the signal fields are stored field by field).</summary>
    public const int SignalHeaderBytes = 256;

    // Each signal field's start within a signal's 256 bytes; the block of field f starts at f × ns.
    public const int LabelStart = 0, LabelWidth = 16;
    public const int TransducerStart = 16, TransducerWidth = 80;
    public const int DimensionStart = 96, DimensionWidth = 8;
    public const int PhysicalMinimumStart = 104, PhysicalMaximumStart = 112, DigitalMinimumStart = 120, DigitalMaximumStart = 128, NumberWidth = 8;
    public const int PrefilteringStart = 136, PrefilteringWidth = 80;
    public const int SamplesPerRecordStart = 216;
    public const int SignalReservedStart = 224, SignalReservedWidth = 32;

    /// <summary>File offset of signal <paramref name="signal"/>'s field starting at <paramref name="fieldStart"/> (width <paramref name="width"/>) among <paramref name="signalCount"/> signals.</summary>
    public static long SignalFieldOffset(int fieldStart, int width, int signalCount, int signal) =>
        FixedHeaderBytes + ((long)fieldStart * signalCount) + ((long)signal * width);
}
