using System.Globalization;
using System.Text;

namespace SleepScoring.Edf;

/// <summary>Formats values into the fixed-width, space-padded ASCII fields of an EDF header.</summary>
internal static class HeaderFieldWriter
{
    /// <summary>Writes <paramref name="value"/> left-aligned and space-padded into <paramref name="field"/>.</summary>
    public static void Text(Span<byte> field, string value, string name)
    {
        if (value.Length > field.Length)
        {
            throw new ArgumentException($"EDF header field '{name}' holds at most {field.Length} characters: \"{value}\" has {value.Length}.", nameof(value));
        }

        if (value.Any(c => c is < ' ' or > '~'))
        {
            throw new ArgumentException($"EDF header field '{name}' must be printable ASCII: \"{value}\".", nameof(value));
        }

        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(value, field);
    }

    /// <summary>
    /// The shortest decimal text of <paramref name="value"/> that fits <paramref name="width"/> characters,
    /// rounding decimals away if needed. Readers see the rounded value, so callers scale with <see cref="Parse"/>d text.
    /// </summary>
    public static string Number(double value, int width, string name)
    {
        for (int decimals = 10; decimals >= 0; decimals--)
        {
            string text = Math.Round(value, decimals).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
            if (text.Length <= width)
            {
                return text == "-0" ? "0" : text;
            }
        }

        throw new ArgumentOutOfRangeException(name, value, $"EDF header field '{name}' cannot hold {value} in {width} characters.");
    }

    public static double Parse(string number) => double.Parse(number, CultureInfo.InvariantCulture);

    /// <summary>A TAL time stamp: sign for onsets, up to 9 decimals, never exponent notation.</summary>
    public static string Seconds(double value, bool signed)
    {
        string text = Math.Abs(value).ToString("0.#########", CultureInfo.InvariantCulture);
        return signed ? (value < 0 ? "-" : "+") + text : text;
    }
}
