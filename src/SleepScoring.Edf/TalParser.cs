using System.Globalization;
using System.Text;

namespace SleepScoring.Edf;

/// <summary>One time-stamped annotation list: onset, optional duration, and its texts (possibly empty).</summary>
internal readonly record struct Tal(double Onset, double? Duration, string[] Texts);

/// <summary>
/// Parses the TALs in the bytes of one annotation signal of one data record:
/// <c>±onset[\x15duration]\x14text\x14…\x14\x00</c>, followed by zero padding.
/// </summary>
internal sealed class TalParser(string label, long record, List<EdfWarning> warnings)
{
    private const byte DurationMark = 0x15;
    private const byte TextEnd = 0x14;
    private static readonly Encoding s_strictUtf8 = new UTF8Encoding(false, true);

    /// <summary>Parses every TAL in <paramref name="bytes"/>, which begin at <paramref name="fileOffset"/> in the file.</summary>
    public List<Tal> ParseAll(ReadOnlySpan<byte> bytes, long fileOffset) => Parse(bytes, fileOffset, int.MaxValue);

    /// <summary>Parses the first TAL only (the time-keeping TAL of a record), or returns null when the bytes hold none.</summary>
    public Tal? ParseFirst(ReadOnlySpan<byte> bytes, long fileOffset)
    {
        List<Tal> first = Parse(bytes, fileOffset, 1);
        return first.Count == 0 ? null : first[0];
    }

    private List<Tal> Parse(ReadOnlySpan<byte> bytes, long fileOffset, int limit)
    {
        List<Tal> tals = [];
        int pos = 0;
        while (pos < bytes.Length && tals.Count < limit)
        {
            if (bytes[pos] == 0)
            {
                pos++; // padding between or after TALs
                continue;
            }

            tals.Add(ParseOne(bytes, fileOffset, ref pos));
        }

        return tals;
    }

    private Tal ParseOne(ReadOnlySpan<byte> bytes, long fileOffset, ref int pos)
    {
        int start = pos;
        int onsetEnd = IndexOfEither(bytes, pos, TextEnd, DurationMark);
        double onset = ParseTime(bytes[pos..onsetEnd], fileOffset + pos, signed: true);
        double? duration = null;
        pos = onsetEnd;
        if (bytes[pos] == DurationMark)
        {
            int durationEnd = IndexOfEither(bytes, pos + 1, TextEnd, TextEnd);
            duration = ParseTime(bytes[(pos + 1)..durationEnd], fileOffset + pos + 1, signed: false);
            pos = durationEnd;
        }

        // pos is at the 0x14 that ends the time stamp; texts follow, each ended by 0x14, the TAL by 0x00.
        pos++;
        List<string> texts = [];
        while (true)
        {
            if (pos >= bytes.Length)
            {
                throw Error(fileOffset + start, bytes[start..], "is not terminated by 0x14 0x00 before the end of the annotation signal");
            }

            if (bytes[pos] == 0)
            {
                pos++;
                return new Tal(onset, duration, [.. texts]);
            }

            int textEnd = bytes[pos..].IndexOf(TextEnd);
            if (textEnd < 0)
            {
                throw Error(fileOffset + pos, bytes[pos..], "is an annotation text without its closing 0x14");
            }

            texts.Add(Decode(bytes.Slice(pos, textEnd), fileOffset + pos));
            pos += textEnd + 1;
            if (texts is [""] && StartsTimeStamp(bytes, pos))
            {
                // Some recorders (Nihon Kohden) omit the 0x00 after the time-keeping "+t\x14\x14".
                warnings.Add(new EdfWarning(EdfWarningCodes.TalTerminatorMissing, $"the time-keeping TAL before offset {fileOffset + pos} lacks its closing 0x00", label, fileOffset + pos));
                return new Tal(onset, duration, [.. texts]);
            }
        }
    }

    private static bool StartsTimeStamp(ReadOnlySpan<byte> bytes, int pos)
    {
        return pos + 1 < bytes.Length && bytes[pos] is (byte)'+' or (byte)'-' && char.IsAsciiDigit((char)bytes[pos + 1]);
    }

    private int IndexOfEither(ReadOnlySpan<byte> bytes, int from, byte a, byte b)
    {
        int found = from < bytes.Length ? bytes[from..].IndexOfAny(a, b) : -1;
        if (found < 0)
        {
            throw new EdfFormatException(label, from, null, "has a TAL time stamp without its closing 0x14", $"annotation in data record {record}");
        }

        return from + found;
    }

    /// <summary>±digits[.digits] (onset, sign required) or digits[.digits] (duration).</summary>
    private double ParseTime(ReadOnlySpan<byte> text, long offset, bool signed)
    {
        int digitsFrom = signed ? 1 : 0;
        bool valid = text.Length > digitsFrom && (!signed || text[0] is (byte)'+' or (byte)'-');
        int dots = 0;
        for (int i = digitsFrom; valid && i < text.Length; i++)
        {
            dots += text[i] == '.' ? 1 : 0;
            valid = char.IsAsciiDigit((char)text[i]) || (text[i] == '.' && dots == 1);
        }

        if (!valid || !double.TryParse(Encoding.ASCII.GetString(text), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
        {
            throw Error(offset, text, signed ? "is not a TAL onset (+/- followed by seconds)" : "is not a TAL duration (seconds)");
        }

        return value;
    }

    private string Decode(ReadOnlySpan<byte> text, long offset)
    {
        try
        {
            return s_strictUtf8.GetString(text);
        }
        catch (DecoderFallbackException)
        {
            warnings.Add(new EdfWarning(EdfWarningCodes.InvalidUtf8, $"annotation text at offset {offset} is not valid UTF-8", label, offset));
            return Encoding.UTF8.GetString(text);
        }
    }

    private EdfFormatException Error(long offset, ReadOnlySpan<byte> value, string reason)
    {
        string shown = Encoding.Latin1.GetString(value[..Math.Min(value.Length, 40)]);
        return new EdfFormatException(label, offset, shown, reason, $"annotation in data record {record}");
    }
}
