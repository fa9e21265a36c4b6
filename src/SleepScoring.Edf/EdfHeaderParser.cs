using System.Globalization;

namespace SleepScoring.Edf;

/// <summary>The header as parsed and checked against the file length, before the data records are looked at.</summary>
internal sealed record ParsedHeader(
    string Version,
    EdfFileType FileType,
    string PatientIdentification,
    string RecordingIdentification,
    EdfPatient? Patient,
    EdfRecording? Recording,
    DateTime StartTime,
    int HeaderBytes,
    string Reserved,
    long RecordCount,
    double RecordDuration,
    IReadOnlyList<EdfSignal> Signals,
    long RecordSize);

/// <summary>The counts of the fixed header, checked against each other.</summary>
internal sealed record FixedFields(string Version, bool IsBdf, long HeaderBytes, long DeclaredRecords, double RecordDuration, long SignalCount);

/// <summary>
/// Parses the 256-byte general header and the signal headers, validating every count against the
/// file length before anything is allocated from it.
/// </summary>
internal static class EdfHeaderParser
{
    public const int FixedHeaderBytes = EdfLayout.FixedHeaderBytes;
    private static readonly DateTime s_clippingDate = new(1985, 1, 1);

    public static ParsedHeader Parse(ByteSource source, List<EdfWarning> warnings)
    {
        long length = source.Length;
        if (length < FixedHeaderBytes)
        {
            throw new EdfFormatException("header", length, null, $"is incomplete: the file has {length} bytes, an EDF header has at least {FixedHeaderBytes}");
        }

        byte[] fixedBytes = new byte[FixedHeaderBytes];
        source.ReadExactly(0, fixedBytes);
        HeaderFieldReader fields = new(fixedBytes, 0, warnings);
        FixedFields f = ParseFixed(fixedBytes, fields, (length - FixedHeaderBytes) / EdfLayout.SignalHeaderBytes, $"the most whose headers fit in the {length}-byte file");
        string patient = fields.Text("local patient identification", EdfLayout.PatientOffset, EdfLayout.PatientWidth);
        string recording = fields.Text("local recording identification", EdfLayout.RecordingOffset, EdfLayout.RecordingWidth);
        string reserved = fields.Text("reserved", EdfLayout.ReservedOffset, EdfLayout.ReservedWidth);
        EdfFileType type = FileTypeOf(f.IsBdf, reserved);
        EdfPatient? patientFields = type.IsPlus() ? EdfPatient.Parse(patient) : null;
        EdfRecording? recordingFields = type.IsPlus() ? EdfRecording.Parse(recording) : null;
        DateTime start = ParseStart(fields, recordingFields?.StartDate);

        byte[] signalBytes = new byte[f.HeaderBytes - FixedHeaderBytes];
        source.ReadExactly(FixedHeaderBytes, signalBytes);
        SignalHeaderParser signalParser = new(new HeaderFieldReader(signalBytes, FixedHeaderBytes, warnings), (int)f.SignalCount, type);
        SignalHeaderParser.Layout layout = signalParser.Parse(f.RecordDuration);

        if (f.RecordDuration == 0 && layout.HasOrdinarySignal)
        {
            throw fields.Invalid("duration of a data record", EdfLayout.RecordDurationOffset, EdfLayout.RecordDurationWidth, "is 0, which only annotation-only files may use");
        }

        long records = RecordCount(fields, f.DeclaredRecords, f.HeaderBytes, length - f.HeaderBytes, layout.RecordSize, warnings);
        if (!double.IsFinite(records * f.RecordDuration))
        {
            throw fields.Invalid("duration of a data record", EdfLayout.RecordDurationOffset, EdfLayout.RecordDurationWidth, $"× {records} data records is not a finite duration");
        }

        List<EdfSignal> signals = signalParser.Build(layout, records);
        if (type.IsPlus() && !signals.Any(s => s.IsAnnotation))
        {
            warnings.Add(new EdfWarning(EdfWarningCodes.AnnotationSignalMissing, "the EDF+/BDF+ file has no annotation signal; records are taken as contiguous", "label", FixedHeaderBytes));
        }

        return new ParsedHeader(f.Version, type, patient, recording, patientFields, recordingFields, start, (int)f.HeaderBytes, reserved, records, f.RecordDuration, signals, layout.RecordSize);
    }

    /// <summary>
    /// The fields of the fixed 256-byte header that need nothing else (version, header size, record
    /// count and duration, signal count), checked against each other; <paramref name="maxSignals"/>
    /// bounds the signal count (<paramref name="why"/> says where the bound comes from).
    /// </summary>
    public static FixedFields ParseFixed(byte[] fixedBytes, HeaderFieldReader fields, long maxSignals, string why)
    {
        (string version, bool isBdf) = ParseVersion(fixedBytes, fields);
        long headerBytes = fields.Integer("number of bytes in header record", EdfLayout.HeaderBytesOffset, EdfLayout.HeaderBytesWidth);
        long declaredRecords = fields.Integer("number of data records", EdfLayout.RecordCountOffset, EdfLayout.RecordCountWidth);
        double recordDuration = fields.Number("duration of a data record", EdfLayout.RecordDurationOffset, EdfLayout.RecordDurationWidth);
        long signalCount = fields.Integer("number of signals", EdfLayout.SignalCountOffset, EdfLayout.SignalCountWidth);

        if (signalCount < 1 || signalCount > maxSignals)
        {
            throw fields.Invalid("number of signals", EdfLayout.SignalCountOffset, EdfLayout.SignalCountWidth, $"is not between 1 and {maxSignals}, {why}");
        }

        if (headerBytes != FixedHeaderBytes * (signalCount + 1))
        {
            throw fields.Invalid("number of bytes in header record", EdfLayout.HeaderBytesOffset, EdfLayout.HeaderBytesWidth, $"is not 256 × ({signalCount} signals + 1) = {FixedHeaderBytes * (signalCount + 1)}");
        }

        if (recordDuration < 0)
        {
            throw fields.Invalid("duration of a data record", EdfLayout.RecordDurationOffset, EdfLayout.RecordDurationWidth, "is negative");
        }

        if (declaredRecords < -1)
        {
            throw fields.Invalid("number of data records", EdfLayout.RecordCountOffset, EdfLayout.RecordCountWidth, "is negative (only -1, unknown, is allowed)");
        }

        return new FixedFields(version, isBdf, headerBytes, declaredRecords, recordDuration, signalCount);
    }

    private static (string Version, bool IsBdf) ParseVersion(byte[] header, HeaderFieldReader fields)
    {
        if (header[0] == 0xFF)
        {
            return (fields.Raw(1, 7).TrimEnd(), true);
        }

        string version = fields.Raw(EdfLayout.VersionOffset, EdfLayout.VersionWidth);
        if (version.Trim() != "0")
        {
            throw new EdfFormatException("version", EdfLayout.VersionOffset, version, "is neither \"0\" (EDF) nor 0xFF \"BIOSEMI\" (BDF)");
        }

        return ("0", false);
    }

    private static EdfFileType FileTypeOf(bool isBdf, string reserved)
    {
        bool plus = reserved.Length >= 5 && (reserved.StartsWith("EDF+", StringComparison.Ordinal) || reserved.StartsWith("BDF+", StringComparison.Ordinal));
        return (isBdf, plus, plus && reserved[4] == 'D') switch
        {
            (false, false, _) => EdfFileType.Edf,
            (false, true, false) => EdfFileType.EdfPlusC,
            (false, true, true) => EdfFileType.EdfPlusD,
            (true, false, _) => EdfFileType.Bdf,
            (true, true, false) => EdfFileType.BdfPlusC,
            (true, true, true) => EdfFileType.BdfPlusD,
        };
    }

    /// <summary>dd.mm.yy hh.mm.ss; yy ≥ 85 is 19yy. The EDF+ startdate subfield supplies the century when it agrees.</summary>
    private static DateTime ParseStart(HeaderFieldReader fields, DateOnly? plusDate)
    {
        string date = fields.Raw(EdfLayout.StartDateOffset, EdfLayout.DateTimeWidth);
        string time = fields.Raw(EdfLayout.StartTimeOffset, EdfLayout.DateTimeWidth);
        int[]? d = SplitTriple(date);
        int[]? t = SplitTriple(time);
        bool yearUnknown = date.Length == 8 && date[6..] == "yy";
        if (yearUnknown && plusDate is { } onlyPlus && t is not null && TryDate(onlyPlus.Year, onlyPlus.Month, onlyPlus.Day, t, out DateTime fromPlus))
        {
            return fromPlus;
        }

        if (d is not null && t is not null)
        {
            int year = plusDate is { } p && p.Day == d[0] && p.Month == d[1] && p.Year % 100 == d[2] ? p.Year : (d[2] >= 85 ? 1900 : 2000) + d[2];
            if (TryDate(year, d[1], d[0], t, out DateTime start))
            {
                return start;
            }
        }

        fields.Warn(EdfWarningCodes.StartDateInvalid, "startdate of recording", EdfLayout.StartDateOffset, $"start date/time \"{date}\" \"{time}\" is not a valid date; using {s_clippingDate:yyyy-MM-dd HH:mm:ss}");
        return s_clippingDate;
    }

    private static bool TryDate(int year, int month, int day, int[] time, out DateTime value)
    {
        value = default;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || time[0] > 23 || time[1] > 59 || time[2] > 59)
        {
            return false;
        }

        value = new DateTime(year, month, day, time[0], time[1], time[2], DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>"aa.bb.cc" (':' also accepted as separator) → three numbers, or null.</summary>
    private static int[]? SplitTriple(string field)
    {
        string[] parts = field.Trim().Split('.', ':');
        if (parts.Length != 3)
        {
            return null;
        }

        int[] values = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (parts[i].Length is < 1 or > 2 || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }

        return values;
    }

    private static long RecordCount(HeaderFieldReader fields, long declared, long dataStart, long dataBytes, long recordSize, List<EdfWarning> warnings)
    {
        long complete = dataBytes / recordSize;
        long trailing = dataBytes % recordSize;
        if (complete == 0 && declared != 0)
        {
            throw fields.Invalid("number of data records", EdfLayout.RecordCountOffset, EdfLayout.RecordCountWidth, $"cannot be read: the file holds {dataBytes} data bytes, less than one {recordSize}-byte data record");
        }

        if (declared == -1)
        {
            fields.Warn(EdfWarningCodes.RecordCountUnknown, "number of data records", EdfLayout.RecordCountOffset, $"number of data records is -1 (unknown); {complete} derived from the file size");
        }
        else if (declared != complete)
        {
            fields.Warn(EdfWarningCodes.RecordCountMismatch, "number of data records", EdfLayout.RecordCountOffset, $"number of data records is {declared} but the file holds {complete} complete {recordSize}-byte records; reading {complete}");
        }

        if (trailing > 0)
        {
            warnings.Add(new EdfWarning(EdfWarningCodes.TrailingBytes, $"{trailing} byte(s) after the last complete data record were ignored", "data record", dataStart + (complete * recordSize)));
        }

        return complete;
    }
}
