using System.Text;

namespace SleepScoring.Analysis.Staging;

/// <summary>The hypnogram file formats <see cref="HypnogramFile"/> recognises.</summary>
public enum HypnogramFormat
{
    /// <summary>EDF+ with stage annotations (<see cref="HypnogramEdf"/>).</summary>
    EdfPlus,

    /// <summary>Annotation CSV with an onset column (<see cref="HypnogramCsv"/>).</summary>
    Csv,

    /// <summary>The slpdb table <c>record,epoch,stage</c> (<see cref="SlpdbStagesCsv"/>).</summary>
    SlpdbTable,

    /// <summary>One stage per line (<see cref="StageListText"/>).</summary>
    StageList,
}

/// <summary>
/// Reads a hypnogram whatever its format, recognised from the content rather than the file name:
/// an EDF header (version <c>0</c> padded to 8 bytes) is EDF+; otherwise the first line that is not
/// blank or a <c>#</c> comment decides: <c>record,epoch,stage</c> is the slpdb table, a line with an
/// <c>onset</c> column is the annotation CSV, anything else a stage-per-line text.
/// </summary>
public static class HypnogramFile
{
    private const int SniffBytes = 4096;

    /// <summary>Recognises the format of a seekable stream (its position is restored).</summary>
    public static HypnogramFormat Detect(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long start = stream.Position;
        var head = new byte[SniffBytes];
        int read = stream.ReadAtLeast(head, SniffBytes, throwOnEndOfStream: false);
        stream.Position = start;
        if (read >= 8 && head.AsSpan(0, 8).SequenceEqual("0       "u8))
        {
            return HypnogramFormat.EdfPlus;
        }

        foreach (string line in Encoding.UTF8.GetString(head, 0, read).Split('\n'))
        {
            string text = line.Trim().TrimStart('\uFEFF');
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            string lower = text.ToLowerInvariant().Replace(" ", string.Empty, StringComparison.Ordinal);
            return lower.StartsWith("record,epoch,stage", StringComparison.Ordinal) ? HypnogramFormat.SlpdbTable
                : lower.Contains("onset", StringComparison.Ordinal) ? HypnogramFormat.Csv
                : HypnogramFormat.StageList;
        }

        return HypnogramFormat.StageList;
    }

    /// <summary>Reads the hypnogram in <paramref name="stream"/> (readable and seekable) in whichever format it is.</summary>
    /// <param name="stream">The file's bytes.</param>
    /// <param name="epochSeconds">Epoch length L (stage lists and slpdb tables carry none).</param>
    /// <exception cref="HypnogramFormatException">The content is not a readable hypnogram, or an slpdb table holds several records.</exception>
    public static AnnotatedHypnogram Read(Stream stream, double epochSeconds = Hypnogram.StandardEpochSeconds)
    {
        HypnogramFormat format = Detect(stream);
        if (format == HypnogramFormat.EdfPlus)
        {
            return HypnogramEdf.Read(stream, epochSeconds);
        }

        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        switch (format)
        {
            case HypnogramFormat.Csv:
                return HypnogramCsv.Read(reader, epochSeconds);
            case HypnogramFormat.SlpdbTable:
                IReadOnlyDictionary<string, Hypnogram> records = SlpdbStagesCsv.Read(reader, epochSeconds);
                return records.Count == 1
                    ? new AnnotatedHypnogram(records.Values.Single(), null, null, [])
                    : throw new HypnogramFormatException(0, "record", null, $"the table holds {records.Count} records ({string.Join(", ", records.Keys.Take(5))}…); read it with SlpdbStagesCsv to choose one");
            default:
                return new AnnotatedHypnogram(StageListText.Read(reader, epochSeconds), null, null, []);
        }
    }

    /// <summary>Reads the hypnogram file at <paramref name="path"/> in whichever format it is.</summary>
    /// <exception cref="HypnogramFormatException">The content is not a readable hypnogram.</exception>
    public static AnnotatedHypnogram Read(string path, double epochSeconds = Hypnogram.StandardEpochSeconds)
    {
        using FileStream stream = File.OpenRead(path);
        return Read(stream, epochSeconds);
    }
}
