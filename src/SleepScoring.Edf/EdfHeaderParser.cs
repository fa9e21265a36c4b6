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

/// <summary>
/// Parses the 256-byte general header and the signal headers, validating every count against the
/// file length before anything is allocated from it.
/// </summary>
internal static class EdfHeaderParser
{
    public const int FixedHeaderBytes = 256;
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

        (string version, bool isBdf) = ParseVersion(fixedBytes, fields);
        string patient = fields.Text("local patient identification", 8, 80);
        string recording = fields.Text("local recording identification", 88, 80);
        string reserved = fields.Text("reserved", 192, 44);
        EdfFileType type = FileTypeOf(isBdf, reserved);
        EdfPatient? patientFields = type.IsPlus() ? EdfPatient.Parse(patient) : null;
        EdfRecording? recordingFields = type.IsPlus() ? EdfRecording.Parse(recording) : null;
        DateTime start = ParseStart(fields, recordingFields?.StartDate);

        long headerBytes = fields.Integer("number of bytes in header record", 184, 8);
        long declaredRecords = fields.Integer("number of data records", 236, 8);
        double recordDuration = fields.Number("duration of a data record", 244, 8);
        long signalCount = fields.Integer("number of signals", 252, 4);

        if (signalCount < 1 || signalCount > (length - FixedHeaderBytes) / 256)
        {
            throw fields.Invalid("number of signals", 252, 4, $"is not between 1 and {(length - FixedHeaderBytes) / 256}, the most whose headers fit in the {length}-byte file");
        }

        if (headerBytes != FixedHeaderBytes * (signalCount + 1))
        {
            throw fields.Invalid("number of bytes in header record", 184, 8, $"is not 256 × ({signalCount} signals + 1) = {FixedHeaderBytes * (signalCount + 1)}");
        }

        if (recordDuration < 0)
        {
            throw fields.Invalid("duration of a data record", 244, 8, "is negative");
        }

        if (declaredRecords < -1)
        {
            throw fields.Invalid("number of data records", 236, 8, "is negative (only -1, unknown, is allowed)");
        }

        byte[] signalBytes = new byte[headerBytes - FixedHeaderBytes];
        source.ReadExactly(FixedHeaderBytes, signalBytes);
        SignalHeaderParser signalParser = new(new HeaderFieldReader(signalBytes, FixedHeaderBytes, warnings), (int)signalCount, type);
        SignalHeaderParser.Layout layout = signalParser.Parse(recordDuration);

        if (recordDuration == 0 && layout.HasOrdinarySignal)
        {
            throw fields.Invalid("duration of a data record", 244, 8, "is 0, which only annotation-only files may use");
        }

        long records = RecordCount(fields, declaredRecords, headerBytes, length - headerBytes, layout.RecordSize, warnings);
        List<EdfSignal> signals = signalParser.Build(layout, records);
        if (type.IsPlus() && !signals.Any(s => s.IsAnnotation))
        {
            warnings.Add(new EdfWarning(EdfWarningCodes.AnnotationSignalMissing, "the EDF+/BDF+ file has no annotation signal; records are taken as contiguous", "label", FixedHeaderBytes));
        }

        return new ParsedHeader(version, type, patient, recording, patientFields, recordingFields, start, (int)headerBytes, reserved, records, recordDuration, signals, layout.RecordSize);
    }

    private static (string Version, bool IsBdf) ParseVersion(byte[] header, HeaderFieldReader fields)
    {
        if (header[0] == 0xFF)
        {
            return (fields.Raw(1, 7).TrimEnd(), true);
        }

        string version = fields.Raw(0, 8);
        if (version.Trim() != "0")
        {
            throw new EdfFormatException("version", 0, version, "is neither \"0\" (EDF) nor 0xFF \"BIOSEMI\" (BDF)");
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
        string date = fields.Raw(168, 8);
        string time = fields.Raw(176, 8);
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

        fields.Warn(EdfWarningCodes.StartDateInvalid, "startdate of recording", 168, $"start date/time \"{date}\" \"{time}\" is not a valid date; using {s_clippingDate:yyyy-MM-dd HH:mm:ss}");
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
            throw fields.Invalid("number of data records", 236, 8, $"cannot be read: the file holds {dataBytes} data bytes, less than one {recordSize}-byte data record");
        }

        if (declared == -1)
        {
            fields.Warn(EdfWarningCodes.RecordCountUnknown, "number of data records", 236, $"number of data records is -1 (unknown); {complete} derived from the file size");
        }
        else if (declared != complete)
        {
            fields.Warn(EdfWarningCodes.RecordCountMismatch, "number of data records", 236, $"number of data records is {declared} but the file holds {complete} complete {recordSize}-byte records; reading {complete}");
        }

        if (trailing > 0)
        {
            warnings.Add(new EdfWarning(EdfWarningCodes.TrailingBytes, $"{trailing} byte(s) after the last complete data record were ignored", "data record", dataStart + (complete * recordSize)));
        }

        return complete;
    }
}
