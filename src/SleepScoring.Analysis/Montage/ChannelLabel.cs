using System.Text;

namespace SleepScoring.Analysis.Montage;

/// <summary>
/// Normalises EDF signal labels so spellings of one derivation compare equal:
/// upper case; surrounding and repeated spaces dropped; a leading <c>EEG</c>/<c>EOG</c>/<c>EMG</c>
/// type word dropped; en/em dashes and minus signs read as <c>-</c>, spaces around it removed, and
/// two electrodes separated only by a space joined with <c>-</c>; a <c>-REF</c>/<c>:REF</c> suffix
/// (the amplifier's common reference) dropped, leaving a single electrode; <c>:</c> read as <c>-</c>; the old mastoid/earlobe
/// names <c>A1</c>/<c>A2</c> read as <c>M1</c>/<c>M2</c>. So <c>EEG C3–A2</c>, <c>c3-m2</c> and
/// <c>C3 M2</c> all become <c>C3-M2</c>, and <c>EEG C4-Ref</c> becomes <c>C4</c>.
/// </summary>
public static class ChannelLabel
{
    /// <summary>The normalised form of <paramref name="label"/>.</summary>
    public static string Normalize(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var text = new StringBuilder(label.Length);
        foreach (char c in label.Trim())
        {
            text.Append(c is '\u2013' or '\u2014' or '\u2212' ? '-' : char.ToUpperInvariant(c));
        }

        string s = string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (string type in (ReadOnlySpan<string>)["EEG ", "EOG ", "EMG "])
        {
            if (s.StartsWith(type, StringComparison.Ordinal) && s.Length > type.Length)
            {
                s = s[type.Length..];
                break;
            }
        }

        s = s.Replace(" -", "-", StringComparison.Ordinal).Replace("- ", "-", StringComparison.Ordinal);
        string[] words = s.Split(' ');
        if (words.Length == 2 && IsElectrode(words[0]) && IsElectrode(words[1]))
        {
            s = words[0] + "-" + words[1];
        }

        foreach (string reference in (ReadOnlySpan<string>)["-REF", ":REF", "-REFERENCE"])
        {
            if (s.EndsWith(reference, StringComparison.Ordinal) && s.Length > reference.Length)
            {
                s = s[..^reference.Length];
                break;
            }
        }

        // Some systems write "C4:M1"; the ":REF" suffix was handled above.
        s = s.Replace(':', '-');
        string[] parts = s.Split('-');
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i] switch
            {
                "A1" => "M1",
                "A2" => "M2",
                _ => parts[i],
            };
        }

        return string.Join('-', parts);
    }

    /// <summary>Whether <paramref name="normalized"/> names one electrode (no <c>-</c>, no space).</summary>
    public static bool IsSingleElectrode(string normalized) => IsElectrode(normalized);

    // 10-20 style electrode names and the eye/chin/mastoid names: letters then digits or Z, short.
    private static bool IsElectrode(string word) =>
        word.Length is >= 2 and <= 6 && char.IsAsciiLetter(word[0]) && word.All(char.IsAsciiLetterOrDigit);
}
