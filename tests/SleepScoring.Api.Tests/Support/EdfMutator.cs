using System.Globalization;
using System.Text;

namespace SleepScoring.Api.Tests.Support;

/// <summary>
/// Seeded mutations of a valid EDF+ file, as a damaged or hostile upload holds them: header fields
/// (numbers such as 1e308, NaN, -0, 99999999; texts with control or non-ASCII bytes), the TALs of
/// the annotation signal, truncations, flipped bytes and appended garbage. Each mutation says what
/// it did, so a failure names the input.
/// </summary>
internal sealed class EdfMutator(byte[] edf, int seed)
{
    private static readonly string[] Numbers =
    [
        "1e308", "-1e308", "1e-308", "NaN", "nan", "Infinity", "-Infinity", "inf", "-0", "0", "-1", "99999999", "-9999999", "2147483648",
        "0.000001", "1e5", "1,5", "0x10", "+7", " 3", "", "        ", "3.", ".5", "1e", "--1", "٣", "\u00001", "\u00ff\u00fe",
    ];

    private static readonly string[] Texts = ["", "\u0000\u0000\u0000", "\u00e9\u00e8\u00ff", "EDF+D", "EDF+C", "BIOSEMI", "99.99.99", "25.61.61", "00.00.00", "31.02.85", "X X X X", "%s%n", "\r\n\t"];

    private static readonly string[] TalNumbers = ["+1e308", "+NaN", "-0", "+99999999", "+-1", "+0.", "1", "+", "+3\u00153", "+Infinity", "-5", "+1e-308"];

    private readonly Random random = new(seed);
    private readonly int signals = int.Parse(Encoding.ASCII.GetString(edf, 252, 4).Trim(), CultureInfo.InvariantCulture);

    /// <summary>The next mutated file and what was done to it.</summary>
    public (byte[] File, string What) Next()
    {
        byte[] copy = (byte[])edf.Clone();
        return random.Next(8) switch
        {
            0 or 1 => HeaderNumber(copy),
            2 => HeaderText(copy),
            3 => Truncated(copy),
            4 => Tal(copy),
            5 => Flipped(copy),
            6 => Appended(copy),
            _ => Combined(copy),
        };
    }

    private (byte[], string) HeaderNumber(byte[] file)
    {
        (int offset, int width, string name) = Pick(
        [
            (184, 8, "header bytes"), (236, 8, "records"), (244, 8, "record duration"), (252, 4, "signals"),
            .. PerSignal(104, 8, "physical minimum"), .. PerSignal(112, 8, "physical maximum"), .. PerSignal(120, 8, "digital minimum"),
            .. PerSignal(128, 8, "digital maximum"), .. PerSignal(216, 8, "samples per record"),
        ]);
        string value = Pick(Numbers);
        return (Patch(file, offset, width, value), $"{name} = '{value}'");
    }

    private (byte[], string) HeaderText(byte[] file)
    {
        (int offset, int width, string name) = Pick(
        [
            (0, 8, "version"), (8, 80, "patient"), (88, 80, "recording"), (168, 8, "start date"), (176, 8, "start time"), (192, 44, "reserved"),
            .. PerSignal(0, 16, "label"), .. PerSignal(96, 8, "physical dimension"), .. PerSignal(224, 32, "signal reserved"),
        ]);
        string value = Pick(Texts);
        return (Patch(file, offset, width, value), $"{name} = '{value}'");
    }

    private (byte[], string) Truncated(byte[] file)
    {
        int length = random.Next(file.Length);
        return (file[..length], $"truncated to {length} of {file.Length} bytes");
    }

    private (byte[], string) Tal(byte[] file)
    {
        // The TALs start with '+' after the header; damage one: a number in an onset or duration, or random TAL bytes.
        int header = 256 * (signals + 1);
        List<int> onsets = [.. Enumerable.Range(header, file.Length - header).Where(i => file[i] == (byte)'+' && (i == header || file[i - 1] is 0 or 0x14))];
        if (onsets.Count == 0)
        {
            return Flipped(file);
        }

        int at = Pick(onsets);
        if (random.Next(2) == 0)
        {
            string value = Pick(TalNumbers);
            Encoding.Latin1.GetBytes(value).AsSpan(0, Math.Min(value.Length, file.Length - at)).CopyTo(file.AsSpan(at));
            return (file, $"TAL at {at} starts '{value}'");
        }

        byte[] alphabet = "+-.0123456789eE\u0014\u0015\u0000 x"u8.ToArray();
        int n = random.Next(1, 12);
        for (int i = 0; i < n && at + i < file.Length; i++)
        {
            file[at + i] = Pick(alphabet);
        }

        return (file, $"{n} TAL bytes at {at} replaced");
    }

    private (byte[], string) Flipped(byte[] file)
    {
        int n = random.Next(1, 9);
        var where = new List<int>();
        for (int i = 0; i < n; i++)
        {
            int at = random.Next(2) == 0 ? random.Next(Math.Min(file.Length, 256 * (signals + 1))) : random.Next(file.Length);
            file[at] = (byte)random.Next(256);
            where.Add(at);
        }

        return (file, $"bytes at {string.Join(',', where)} replaced");
    }

    private (byte[], string) Appended(byte[] file)
    {
        byte[] tail = new byte[random.Next(1, 5000)];
        random.NextBytes(tail);
        return ([.. file, .. tail], $"{tail.Length} random bytes appended");
    }

    private (byte[], string) Combined(byte[] file)
    {
        (byte[] once, string first) = HeaderNumber(file);
        (byte[] twice, string second) = random.Next(2) == 0 ? Tal(once) : Truncated(once);
        return (twice, $"{first}; {second}");
    }

    private IEnumerable<(int Offset, int Width, string Name)> PerSignal(int perSignalOffset, int width, string name) =>
        Enumerable.Range(0, signals).Select(i => (256 + (perSignalOffset * signals) + (i * width), width, $"{name} of signal {i}"));

    private static byte[] Patch(byte[] file, int offset, int width, string value)
    {
        Encoding.Latin1.GetBytes(value.PadRight(width)[..width]).CopyTo(file, offset);
        return file;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
