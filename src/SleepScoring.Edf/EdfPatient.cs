using System.Globalization;

namespace SleepScoring.Edf;

/// <summary>
/// The EDF+ subfields of the local patient identification: code, sex, birthdate, name and
/// additional text. Unknown subfields (<c>X</c> in the file) are null.
/// </summary>
public sealed record EdfPatient
{
    /// <summary>Hospital administration code.</summary>
    public string? Code { get; init; }

    /// <summary><c>M</c>, <c>F</c>, or null when unknown.</summary>
    public string? Sex { get; init; }

    /// <summary>Birth date, or null when unknown or unreadable.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>Patient name (EDF+ stores spaces as underscores; they are spaces here, as edflib reports them).</summary>
    public string? Name { get; init; }

    /// <summary>Any further subfields, space separated.</summary>
    public string? Additional { get; init; }

    /// <summary>Parses the EDF+ subfields; null when the field does not have at least the four EDF+ subfields.</summary>
    internal static EdfPatient? Parse(string field)
    {
        string[] parts = field.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4)
        {
            return null;
        }

        return new EdfPatient
        {
            Code = EdfSubfield.Known(parts[0]),
            Sex = EdfSubfield.Known(parts[1]),
            BirthDate = EdfSubfield.ParseDate(parts[2]),
            Name = EdfSubfield.Known(parts[3]),
            Additional = parts.Length > 4 ? string.Join(' ', parts[4..]).Replace('_', ' ') : null,
        };
    }

    /// <summary>The EDF+ field text: <c>code sex birthdate name additional</c>.</summary>
    internal string Format()
    {
        return string.Join(' ', EdfSubfield.Escape(Code), EdfSubfield.Escape(Sex), EdfSubfield.FormatDate(BirthDate), EdfSubfield.Escape(Name), Additional ?? string.Empty).TrimEnd();
    }
}

/// <summary>
/// The EDF+ subfields of the local recording identification: start date, admin code, technician,
/// equipment and additional text. Unknown subfields (<c>X</c> in the file) are null.
/// </summary>
public sealed record EdfRecording
{
    /// <summary>The start date with a four-digit year, or null when unknown.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>Hospital administration code of the investigation.</summary>
    public string? AdminCode { get; init; }

    /// <summary>Code of the technician or investigator.</summary>
    public string? Technician { get; init; }

    /// <summary>Code of the equipment used.</summary>
    public string? Equipment { get; init; }

    /// <summary>Any further subfields, space separated.</summary>
    public string? Additional { get; init; }

    /// <summary>Parses the EDF+ subfields; null when the field does not start with <c>Startdate</c> and four subfields.</summary>
    internal static EdfRecording? Parse(string field)
    {
        string[] parts = field.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 5 || !string.Equals(parts[0], "Startdate", StringComparison.Ordinal))
        {
            return null;
        }

        return new EdfRecording
        {
            StartDate = EdfSubfield.ParseDate(parts[1]),
            AdminCode = EdfSubfield.Known(parts[2]),
            Technician = EdfSubfield.Known(parts[3]),
            Equipment = EdfSubfield.Known(parts[4]),
            Additional = parts.Length > 5 ? string.Join(' ', parts[5..]).Replace('_', ' ') : null,
        };
    }

    /// <summary>The EDF+ field text: <c>Startdate dd-MMM-yyyy admin technician equipment additional</c>.</summary>
    internal string Format()
    {
        return string.Join(' ', "Startdate", EdfSubfield.FormatDate(StartDate), EdfSubfield.Escape(AdminCode), EdfSubfield.Escape(Technician), EdfSubfield.Escape(Equipment), Additional ?? string.Empty).TrimEnd();
    }
}

/// <summary>Shared rules of EDF+ identification subfields (X = unknown, no spaces, dd-MMM-yyyy dates).</summary>
internal static class EdfSubfield
{
    /// <summary>The subfield's value with EDF+'s underscores turned back into spaces; null for "X" (unknown).</summary>
    public static string? Known(string part) => part == "X" ? null : part.Replace('_', ' ');

    public static string Escape(string? value) => string.IsNullOrEmpty(value) ? "X" : value.Replace(' ', '_');

    public static DateOnly? ParseDate(string part)
    {
        return DateOnly.TryParseExact(part, "dd-MMM-yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date) ? date : null;
    }

    public static string FormatDate(DateOnly? date)
    {
        return date is { } d ? d.ToString("dd-MMM-yyyy", CultureInfo.InvariantCulture).ToUpperInvariant() : "X";
    }
}
