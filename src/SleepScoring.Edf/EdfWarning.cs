namespace SleepScoring.Edf;

/// <summary>
/// A tolerated violation of the EDF specification: the file is unambiguous and was read, but a
/// caller may want to show the technician what was off.
/// </summary>
/// <param name="Code">Stable identifier, one of <see cref="EdfWarningCodes"/>.</param>
/// <param name="Message">One-line human-readable description (never contains patient identification).</param>
/// <param name="Field">The field concerned (EDF specification name), or null.</param>
/// <param name="Offset">Byte offset of the field from the start of the file, or -1 when not applicable.</param>
public sealed record EdfWarning(string Code, string Message, string? Field, long Offset);

/// <summary>The codes of <see cref="EdfWarning"/>.</summary>
public static class EdfWarningCodes
{
    /// <summary>The header's number of data records is -1 (unknown); the count was derived from the file size.</summary>
    public const string RecordCountUnknown = "EDF001";

    /// <summary>The header's number of data records disagrees with the file size; the file size wins.</summary>
    public const string RecordCountMismatch = "EDF002";

    /// <summary>Bytes after the last complete data record (a stray byte or a partial record) were ignored.</summary>
    public const string TrailingBytes = "EDF003";

    /// <summary>A signal's digital minimum/maximum lie outside the sample type's range (16 bit, or 24 bit for BDF).</summary>
    public const string DigitalRangeOutOfBounds = "EDF004";

    /// <summary>A header text field holds bytes outside printable ASCII.</summary>
    public const string NonAsciiHeader = "EDF005";

    /// <summary>Two signals carry the same label.</summary>
    public const string DuplicateLabel = "EDF006";

    /// <summary>A signal's physical minimum equals its physical maximum: every sample reads as that value.</summary>
    public const string PhysicalRangeEmpty = "EDF007";

    /// <summary>The start date or time is not a valid date; 1985-01-01 00:00:00 (the EDF clipping date) is used.</summary>
    public const string StartDateInvalid = "EDF008";

    /// <summary>An EDF+/BDF+ file has no annotation signal; record onsets are taken as contiguous.</summary>
    public const string AnnotationSignalMissing = "EDF009";

    /// <summary>The first data record of an EDF+ file lacks its time-keeping annotation; the start offset is taken as 0.</summary>
    public const string TimeKeepingMissing = "EDF010";

    /// <summary>Annotation text is not valid UTF-8; invalid bytes were replaced with U+FFFD.</summary>
    public const string InvalidUtf8 = "EDF011";

    /// <summary>A time-keeping TAL lacks its closing 0x00 and runs straight into the next TAL (seen in Nihon Kohden files).</summary>
    public const string TalTerminatorMissing = "EDF012";
}
