using System.Globalization;
using System.Text;

namespace SleepScoring.Edf;

/// <summary>
/// Reads the fixed-width ASCII fields of an EDF header from a byte buffer that starts at a known
/// file offset, so every error and warning names the field and its absolute byte offset.
/// </summary>
internal sealed class HeaderFieldReader(byte[] bytes, long baseOffset, List<EdfWarning> warnings)
{
    private static readonly Encoding s_strictUtf8 = new UTF8Encoding(false, true);

    /// <summary>The field's text with trailing spaces (and NULs) removed; non-ASCII is decoded and warned about.</summary>
    public string Text(string field, int position, int length)
    {
        ReadOnlySpan<byte> raw = bytes.AsSpan(position, length);
        if (raw.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            warnings.Add(new EdfWarning(
                EdfWarningCodes.NonAsciiHeader,
                $"header field '{field}' at offset {baseOffset + position} holds bytes outside printable ASCII",
                field,
                baseOffset + position));
            return Decode(raw).TrimEnd(' ', '\0');
        }

        return Encoding.ASCII.GetString(raw).TrimEnd(' ');
    }

    /// <summary>The field's raw ASCII text (for error messages), untrimmed.</summary>
    public string Raw(int position, int length) => Encoding.Latin1.GetString(bytes, position, length);

    /// <summary>An integer field; leading/trailing spaces allowed, anything else rejected.</summary>
    public long Integer(string field, int position, int length)
    {
        string raw = Raw(position, length);
        if (!long.TryParse(raw.Trim(' ', '\0'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw new EdfFormatException(field, baseOffset + position, raw, "is not an integer");
        }

        return value;
    }

    /// <summary>A decimal number field (invariant culture, no exponent needed but accepted).</summary>
    public double Number(string field, int position, int length)
    {
        string raw = Raw(position, length);
        if (!double.TryParse(raw.Trim(' ', '\0'), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new EdfFormatException(field, baseOffset + position, raw, "is not a number");
        }

        return value;
    }

    /// <summary>Throws the typed exception for a field whose value is readable but not allowed.</summary>
    public EdfFormatException Invalid(string field, int position, int length, string reason)
    {
        return new EdfFormatException(field, baseOffset + position, Raw(position, length), reason);
    }

    public void Warn(string code, string field, int position, string message)
    {
        warnings.Add(new EdfWarning(code, message, field, baseOffset + position));
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8 (EDF+ writers often use it), else Latin-1.</summary>
    private static string Decode(ReadOnlySpan<byte> raw)
    {
        try
        {
            return s_strictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(raw);
        }
    }
}
