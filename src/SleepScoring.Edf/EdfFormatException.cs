using System.Text;

namespace SleepScoring.Edf;

/// <summary>
/// Bytes that are not a readable EDF/EDF+/BDF file. The message names the field, the byte offset in
/// the file and the offending value, e.g.
/// <c>header field 'number of signals' at offset 252: "ab  " is not an integer</c>.
/// </summary>
public class EdfFormatException : Exception
{
    /// <summary>Creates the exception for a field at a byte offset.</summary>
    /// <param name="field">The field's name as in the EDF specification (e.g. <c>number of signals</c>).</param>
    /// <param name="offset">Byte offset of the field (or offending byte) from the start of the file.</param>
    /// <param name="value">The offending value as read, or null when there is none (e.g. a truncated file).</param>
    /// <param name="reason">What is wrong, e.g. <c>is not an integer</c>.</param>
    /// <param name="area">What the field belongs to, e.g. <c>header field</c> or <c>annotation</c>.</param>
    /// <param name="inner">The exception that revealed the problem, if any.</param>
    public EdfFormatException(string field, long offset, string? value, string reason, string area = "header field", Exception? inner = null)
        : base(BuildMessage(field, offset, value, reason, area), inner)
    {
        Field = field;
        Offset = offset;
        Value = value;
        Reason = reason;
        Area = area;
    }

    /// <summary>Creates the exception with a plain message (no field).</summary>
    public EdfFormatException()
        : this("file", 0, null, "is not an EDF file")
    {
    }

    /// <summary>Creates the exception with a plain message (no field).</summary>
    public EdfFormatException(string message)
        : base(message)
    {
        Field = "file";
    }

    /// <summary>Creates the exception with a plain message (no field).</summary>
    public EdfFormatException(string message, Exception inner)
        : base(message, inner)
    {
        Field = "file";
    }

    /// <summary>Name of the offending field.</summary>
    public string Field { get; }

    /// <summary>Byte offset of the offending field or byte from the start of the file.</summary>
    public long Offset { get; }

    /// <summary>The offending value as read (control characters escaped), or null.</summary>
    public string? Value { get; }

    /// <summary>What is wrong (without the value), e.g. <c>is not an integer</c>.</summary>
    public string? Reason { get; }

    /// <summary>What the field belongs to, e.g. <c>header field</c> or <c>annotation in data record 3</c>.</summary>
    public string Area { get; } = "file";

    /// <summary>
    /// The message without the offending value: field, offset and reason only. The value is text of
    /// the file (an annotation, a header field) and may identify the patient; show this one to callers.
    /// </summary>
    public string MessageWithoutValue => Reason is null ? $"{Area} '{Field}' is not readable" : $"{Area} '{Field}' at offset {Offset}: {Reason}";

    private static string BuildMessage(string field, long offset, string? value, string reason, string area)
    {
        return value is null
            ? $"{area} '{field}' at offset {offset}: {reason}"
            : $"{area} '{field}' at offset {offset}: \"{Printable(value)}\" {reason}";
    }

    /// <summary>Escapes control characters and shortens long values so the message stays one line.</summary>
    internal static string Printable(string value)
    {
        const int MaxLength = 40;
        StringBuilder text = new(Math.Min(value.Length, MaxLength) + 8);
        foreach (char c in value.Length > MaxLength ? value[..MaxLength] : value)
        {
            _ = char.IsControl(c) ? text.Append($"\\x{(int)c:x2}") : text.Append(c);
        }

        return value.Length > MaxLength ? text.Append('…').ToString() : text.ToString();
    }
}
