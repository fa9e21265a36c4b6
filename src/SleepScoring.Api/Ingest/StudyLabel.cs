namespace SleepScoring.Api.Ingest;

/// <summary>
/// The label a study gets at upload, for people to find it (an order or accession number). A
/// short restricted alphabet keeps it an identifier rather than free text: it is shown in lists,
/// file names and the report, so it must not invite a patient's name or notes.
/// </summary>
public static class StudyLabel
{
    public const int MaxLength = 64;

    /// <summary>True for null (no label) or 1–64 letters, digits, spaces and <c>- _ . / # :</c>.</summary>
    public static bool IsValid(string? label) =>
        label is null || (label.Length is > 0 and <= MaxLength && label.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '/' or '#' or ':'));
}
