using System.Text;

namespace SleepScoring.Edf;

/// <summary>What <see cref="EdfDeidentifier"/> removes besides the identification fields.</summary>
public sealed record EdfDeidentifyOptions
{
    /// <summary>
    /// Null: annotation texts stay as they are. Otherwise called for every non-empty annotation text:
    /// return the text to keep (the same text, or a shorter normalised form of a known label), or null
    /// to blank it. The vocabulary lives with the caller (e.g. stage and lights labels); a replacement
    /// longer than the original is blanked, so the data records keep their size.
    /// </summary>
    public Func<string, string?>? AnnotationText { get; init; }
}

/// <summary>How many annotation texts were kept as they were, replaced by a normalised label, or blanked.</summary>
public sealed record EdfDeidentifyResult(int AnnotationsKept, int AnnotationsReplaced, int AnnotationsBlanked);

/// <summary>
/// Removes what identifies the patient from an EDF/EDF+/BDF file in place: the local patient
/// identification (EDF+: <c>X X X X</c>, every subfield unknown; plain EDF: <c>X</c>), the local
/// recording identification (EDF+: <c>Startdate dd-MMM-yyyy X X X</c>, keeping the start date the
/// reader needs and the start-date field holds anyway; plain EDF: <c>X</c>) and, when asked,
/// annotation texts (<see cref="EdfDeidentifyOptions.AnnotationText"/>). Time stamps, the
/// time-keeping annotations and every sample stay byte for byte, so the file reads as before.
/// </summary>
public static class EdfDeidentifier
{
    /// <summary>De-identifies the file at <paramref name="path"/>.</summary>
    /// <exception cref="EdfFormatException">The file is not a readable EDF (nothing is written then).</exception>
    public static EdfDeidentifyResult Deidentify(string path, EdfDeidentifyOptions? options = null)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        return Deidentify(file, options);
    }

    /// <summary>De-identifies the readable, writable and seekable <paramref name="stream"/> (left open).</summary>
    /// <exception cref="EdfFormatException">The bytes are not a readable EDF (nothing is written then).</exception>
    public static EdfDeidentifyResult Deidentify(Stream stream, EdfDeidentifyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        using EdfReader reader = EdfReader.Open(stream, leaveOpen: true);
        if (options?.AnnotationText is { } map)
        {
            _ = reader.ReadAnnotations(); // every TAL parses before any byte changes
        }

        bool plus = reader.Header.FileType.IsPlus();
        DateOnly? startDate = reader.Header.Recording?.StartDate;
        byte[] identification = new byte[EdfLayout.PatientWidth + EdfLayout.RecordingWidth];
        HeaderFieldWriter.Text(identification.AsSpan(0, EdfLayout.PatientWidth), plus ? "X X X X" : "X", "local patient identification");
        HeaderFieldWriter.Text(
            identification.AsSpan(EdfLayout.PatientWidth, EdfLayout.RecordingWidth),
            plus ? $"Startdate {EdfSubfield.FormatDate(startDate)} X X X" : "X",
            "local recording identification");

        var counts = new TalTextRewriter.Counts();
        if (options?.AnnotationText is { } texts)
        {
            reader.VisitAnnotationSegments((bytes, offset, timeKeeping) =>
            {
                byte[]? rewritten = TalTextRewriter.Rewrite(bytes, timeKeeping, texts, counts);
                if (rewritten is not null)
                {
                    Write(stream, offset, rewritten);
                }
            });
        }

        Write(stream, EdfLayout.PatientOffset, identification);
        stream.Flush();
        return new EdfDeidentifyResult(counts.Kept, counts.Replaced, counts.Blanked);
    }

    private static void Write(Stream stream, long offset, ReadOnlySpan<byte> bytes)
    {
        stream.Seek(offset, SeekOrigin.Begin);
        stream.Write(bytes);
    }
}

/// <summary>
/// Rewrites the texts of the TALs in one annotation signal's bytes of one record: time stamps are
/// copied byte for byte, each text is mapped, the TALs are packed and zero padded to the same length.
/// The bytes have been parsed by <see cref="TalParser"/> already, so they are well formed.
/// </summary>
internal static class TalTextRewriter
{
    private const byte TextEnd = 0x14;

    /// <summary>Running totals over all records.</summary>
    internal sealed class Counts
    {
        public int Kept { get; set; }

        public int Replaced { get; set; }

        public int Blanked { get; set; }
    }

    /// <summary>The rewritten bytes (same length), or null when no text changed.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> bytes, bool timeKeeping, Func<string, string?> map, Counts counts)
    {
        byte[] output = new byte[bytes.Length];
        int pos = 0, at = 0;
        bool changed = false, firstTal = true;
        while (pos < bytes.Length)
        {
            if (bytes[pos] == 0)
            {
                pos++; // padding between TALs: packed away, zeros go at the end
                continue;
            }

            int stampEnd = pos + bytes[pos..].IndexOf(TextEnd) + 1; // the time stamp with its 0x14 (a 0x15 duration inside)
            Copy(bytes[pos..stampEnd], output, ref at);
            pos = stampEnd;
            int textIndex = 0;
            bool closed = true;
            while (pos < bytes.Length && bytes[pos] != 0)
            {
                int length = bytes[pos..].IndexOf(TextEnd);
                ReadOnlySpan<byte> text = bytes.Slice(pos, length);
                pos += length + 1;
                bool keeper = timeKeeping && firstTal && textIndex == 0; // the time-keeping TAL's empty text
                textIndex++;
                if (text.IsEmpty || keeper)
                {
                    Copy(text, output, ref at);
                    output[at++] = TextEnd;
                    if (text.IsEmpty && textIndex == 1 && StartsTimeStamp(bytes, pos))
                    {
                        closed = false; // a recorder left out the 0x00 after "+t\x14\x14" (Nihon Kohden): kept so
                        break;
                    }

                    continue;
                }

                string? kept = map(Encoding.UTF8.GetString(text));
                byte[]? replacement = kept is null ? null : Encoding.UTF8.GetBytes(kept);
                if (replacement is null || replacement.Length > text.Length)
                {
                    counts.Blanked++;
                    changed = true;
                }
                else
                {
                    bool same = replacement.AsSpan().SequenceEqual(text);
                    counts.Kept += same ? 1 : 0;
                    counts.Replaced += same ? 0 : 1;
                    changed |= !same;
                    Copy(replacement, output, ref at);
                }

                output[at++] = TextEnd;
            }

            if (closed)
            {
                pos++; // the TAL's closing 0x00
                output[at++] = 0;
            }

            firstTal = false;
        }

        return changed ? output : null;
    }

    private static bool StartsTimeStamp(ReadOnlySpan<byte> bytes, int pos) =>
        pos + 1 < bytes.Length && bytes[pos] is (byte)'+' or (byte)'-' && char.IsAsciiDigit((char)bytes[pos + 1]);

    private static void Copy(ReadOnlySpan<byte> source, byte[] output, ref int at)
    {
        source.CopyTo(output.AsSpan(at));
        at += source.Length;
    }
}
