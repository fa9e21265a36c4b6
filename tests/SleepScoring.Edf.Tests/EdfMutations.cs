using System.Globalization;
using System.Text;

namespace SleepScoring.Edf.Tests;

/// <summary>The mutation operators of the corpus.</summary>
internal static class EdfMutations
{
    // Cumulative byte offsets of the general header fields, and of the signal field blocks (× ns).
    private static readonly int[] s_headerBoundaries = [0, 8, 88, 168, 176, 184, 192, 236, 244, 252, 256];
    private static readonly int[] s_signalFieldStarts = [0, 16, 96, 104, 112, 120, 128, 136, 216, 224, 256];
    private static readonly int[] s_signalFieldWidths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32];

    public static IEnumerable<(string Name, byte[] Bytes)> Truncations(byte[] file)
    {
        int ns = SignalCount(file);
        SortedSet<int> cuts = [.. s_headerBoundaries, .. s_headerBoundaries.Select(b => b + 1)];
        foreach (int start in s_signalFieldStarts)
        {
            cuts.Add(256 + (start * ns));
            cuts.Add(256 + (start * ns) + 3);
        }

        int header = 256 * (ns + 1);
        foreach (int extra in new[] { 1, 2, 3, 100, 1000 })
        {
            cuts.Add(header + extra);
            cuts.Add(file.Length - extra);
        }

        return cuts.Where(c => c >= 0 && c < file.Length).Select(c => ($"truncated at {c}", file[..c]));
    }

    public static IEnumerable<(string Name, byte[] Bytes)> LyingFields(byte[] file)
    {
        int ns = SignalCount(file);
        (int Offset, int Width, string Value)[] general =
        [
            (236, 8, "99999999"), (236, 8, "-1"), (236, 8, "0"), (236, 8, "1"), (236, 8, "-99"),
            (252, 4, "9999"), (252, 4, "1"), (252, 4, $"{ns + 1}"), (252, 4, "-1"),
            (184, 8, "99999999"), (184, 8, "256"), (244, 8, "0"), (244, 8, "1e300"), (244, 8, "0.000001"), (244, 8, "NaN"),
            (168, 8, "99.99.99"), (176, 8, "xx.yy.zz"), (192, 44, "EDF+D"), (192, 44, "BDF+C"), (0, 8, "\u00ffBIOSEMI"),
        ];
        foreach ((int offset, int width, string value) in general)
        {
            yield return ($"field at {offset} = '{value}'", Patch(file, offset, width, value));
        }

        string[] signalValues = ["99999999", "0", "-5", "1", "x", "-99999999", "2147483647", "32768"];
        for (int field = 2; field < 10; field++)
        {
            foreach (int signal in new[] { 0, ns - 1 })
            {
                foreach (string value in signalValues)
                {
                    int offset = 256 + (s_signalFieldStarts[field] * ns) + (signal * s_signalFieldWidths[field]);
                    yield return ($"signal {signal} field at {offset} = '{value}'", Patch(file, offset, s_signalFieldWidths[field], value));
                }
            }
        }
    }

    public static IEnumerable<(string Name, byte[] Bytes)> RandomHeaderBytes(byte[] file, Random random, int count)
    {
        int header = Math.Min(file.Length, 256 * (SignalCount(file) + 1));
        byte[] alphabet = Encoding.ASCII.GetBytes("0123456789-+. eE\0\u0014\u0015");
        for (int i = 0; i < count; i++)
        {
            byte[] copy = (byte[])file.Clone();
            int changes = random.Next(1, 5);
            for (int c = 0; c < changes; c++)
            {
                int at = random.Next(header);
                copy[at] = random.Next(2) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)random.Next(256);
            }

            yield return ($"random header bytes #{i}", copy);
        }
    }

    /// <summary>Random bytes in the first data records, where the time-keeping TALs and annotations live.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> RandomDataBytes(byte[] file, Random random, int count)
    {
        int header = 256 * (SignalCount(file) + 1);
        int span = Math.Min(file.Length - header, 64 * 1024);
        for (int i = 0; i < count && span > 0; i++)
        {
            byte[] copy = (byte[])file.Clone();
            for (int c = 0; c < 16; c++)
            {
                copy[header + random.Next(span)] = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)"+-.0123456789\u0014\u0015\0"[random.Next(16)];
            }

            yield return ($"random data bytes #{i}", copy);
        }
    }

    private static int SignalCount(byte[] file) => int.Parse(Encoding.ASCII.GetString(file, 252, 4).Trim(), CultureInfo.InvariantCulture);

    private static byte[] Patch(byte[] file, int offset, int width, string value)
    {
        byte[] copy = (byte[])file.Clone();
        Encoding.Latin1.GetBytes(value.PadRight(width)[..width]).CopyTo(copy, offset);
        return copy;
    }
}
