using System.Globalization;

namespace SleepScoring.Edf;

/// <summary>The bounds a caller accepts beyond what makes a file readable.</summary>
/// <param name="MaxDurationSeconds">Longest recording (start to the end of the last data record).</param>
/// <param name="MaxSamplingRate">Highest sampling rate of any ordinary signal, in Hz.</param>
public sealed record EdfFileLimits(double MaxDurationSeconds, double MaxSamplingRate);

/// <summary>What a checked file holds: its header, its signals and the reader's warnings.</summary>
public sealed record EdfFileSummary(EdfHeader Header, IReadOnlyList<EdfSignal> Signals, IReadOnlyList<EdfWarning> Warnings, int AnnotationCount);

/// <summary>
/// The whole-file check of an upload: the header and signal headers (<see cref="EdfReader"/>), every
/// TAL of every record (annotations and, for EDF+D, the record onsets), and the caller's bounds on
/// duration and sampling rate. A file that passes reads without a format error later; one that
/// fails names the field and its offset.
/// </summary>
public static class EdfFileCheck
{
    /// <summary>Checks the file at <paramref name="path"/>.</summary>
    /// <exception cref="EdfFormatException">The file is unreadable or beyond <paramref name="limits"/>.</exception>
    public static EdfFileSummary Check(string path, EdfFileLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        using EdfReader reader = EdfReader.Open(path);
        int annotations = reader.ReadAnnotations().Count;
        EdfHeader header = reader.Header;
        if (!(header.Duration <= limits.MaxDurationSeconds))
        {
            bool oneRecordTooLong = header.RecordDuration > limits.MaxDurationSeconds;
            throw new EdfFormatException(
                oneRecordTooLong ? "duration of a data record" : "number of data records",
                oneRecordTooLong ? EdfLayout.RecordDurationOffset : EdfLayout.RecordCountOffset,
                null,
                string.Create(CultureInfo.InvariantCulture, $"gives a recording of {header.Duration:G6} s, longer than the {limits.MaxDurationSeconds:G6} s accepted"));
        }

        foreach (EdfSignal signal in reader.Signals.Where(s => !s.IsAnnotation && !(s.SamplingRate <= limits.MaxSamplingRate)))
        {
            long offset = EdfLayout.SignalFieldOffset(EdfLayout.SamplesPerRecordStart, EdfLayout.NumberWidth, header.SignalCount, signal.Index);
            throw new EdfFormatException(
                "nr of samples in each data record",
                offset,
                null,
                string.Create(CultureInfo.InvariantCulture, $"of signal {signal.Index} gives {signal.SamplingRate:G6} Hz, above the {limits.MaxSamplingRate:G6} Hz accepted"));
        }

        return new EdfFileSummary(header, reader.Signals, reader.Warnings, annotations);
    }
}
