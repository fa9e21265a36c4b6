namespace SleepScoring.Analysis.Staging;

/// <summary>
/// A hypnogram file that cannot be read as scored epochs. The message names the line (or
/// annotation number), the field and the offending value.
/// </summary>
public sealed class HypnogramFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="line">1-based line (text formats) or annotation number (EDF+); 0 when not applicable.</param>
    /// <param name="field">The field or column at fault.</param>
    /// <param name="value">The offending value, as read.</param>
    /// <param name="problem">What is wrong, in a sentence fragment.</param>
    public HypnogramFormatException(int line, string field, string? value, string problem)
        : base(Describe(line, field, value, problem))
    {
        Line = line;
        Field = field;
        Value = value;
    }

    /// <summary>Creates the exception with a free message (required by the exception pattern).</summary>
    public HypnogramFormatException()
        : this(0, string.Empty, null, "invalid hypnogram")
    {
    }

    /// <summary>Creates the exception with a free message (required by the exception pattern).</summary>
    public HypnogramFormatException(string message)
        : base(message)
    {
        Field = string.Empty;
    }

    /// <summary>Creates the exception with a free message and cause (required by the exception pattern).</summary>
    public HypnogramFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    /// <summary>1-based line or annotation number; 0 when not applicable.</summary>
    public int Line { get; }

    /// <summary>The field or column at fault.</summary>
    public string Field { get; }

    /// <summary>The offending value as read, when there is one.</summary>
    public string? Value { get; }

    private static string Describe(int line, string field, string? value, string problem)
    {
        string where = line > 0 ? $"line {line}, " : string.Empty;
        string what = value is null ? string.Empty : $" '{Truncate(value)}'";
        return $"Hypnogram {where}field '{field}'{what}: {problem}.";
    }

    // Values come from user files: keep messages bounded.
    private static string Truncate(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 77), "...");
}
