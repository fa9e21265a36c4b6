using System.Globalization;
using System.Text;

using SleepScoring.Edf;

namespace SleepScoring.Api.Ingest;

/// <summary>
/// The checks of the 256-byte fixed EDF header that need nothing else, run as soon as those bytes
/// arrive so a file that is not an EDF is refused before the rest of a large body is received.
/// The full validation (<see cref="EdfReader"/>) follows once the file is on disk.
/// </summary>
public static class EdfHeaderPrecheck
{
    /// <summary>Bytes needed before <see cref="Check"/> can run.</summary>
    public const int Length = 256;

    /// <summary>Checks version, header size and signal count.</summary>
    /// <exception cref="EdfFormatException">The field named in the message is wrong.</exception>
    public static void Check(ReadOnlySpan<byte> header)
    {
        if (header.Length < Length)
        {
            throw new EdfFormatException("header", header.Length, null, $"is incomplete: the body has {header.Length} bytes, an EDF header has at least {Length}");
        }

        bool bdf = header[0] == 0xFF && Encoding.ASCII.GetString(header[1..8]) == "BIOSEMI";
        if (!bdf && Text(header, 0, 8) != "0")
        {
            throw new EdfFormatException("version", 0, Text(header, 0, 8), "is not \"0\" (EDF/EDF+) or \"\\xFFBIOSEMI\" (BDF)");
        }

        long signals = Integer(header, "number of signals", 252, 4);
        if (signals < 1)
        {
            throw new EdfFormatException("number of signals", 252, Text(header, 252, 4), "is not at least 1");
        }

        long headerBytes = Integer(header, "number of bytes in header record", 184, 8);
        if (headerBytes != 256 * (signals + 1))
        {
            throw new EdfFormatException("number of bytes in header record", 184, Text(header, 184, 8), $"is not 256 × ({signals} signals + 1) = {256 * (signals + 1)}");
        }

        _ = Integer(header, "number of data records", 236, 8);
    }

    private static long Integer(ReadOnlySpan<byte> header, string field, int offset, int width)
    {
        string text = Text(header, offset, width);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new EdfFormatException(field, offset, text, "is not an integer");
    }

    private static string Text(ReadOnlySpan<byte> header, int offset, int width) => Encoding.Latin1.GetString(header.Slice(offset, width)).Trim();
}
