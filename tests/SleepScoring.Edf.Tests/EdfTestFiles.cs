using System.Text;

namespace SleepScoring.Edf.Tests;

/// <summary>Small EDF files made in memory for tests, and byte-level patching of their header fields.</summary>
internal static class EdfTestFiles
{
    /// <summary>
    /// EDF+C, 2 s records, signals "EEG" (4 samples/record, digital 0..7 per record) and "EMG" (2 samples/record),
    /// plus the annotation signal; 3 records; one annotation "Lights off" at 1 s.
    /// </summary>
    public static byte[] Small()
    {
        EdfWriter writer = new() { RecordDuration = 2, StartTime = new DateTime(2020, 1, 2, 3, 4, 5) };
        writer.AddDigitalSignal(new EdfSignalSpec("EEG", -100, 100, 4) { PhysicalDimension = "uV" }, Enumerable.Range(0, 12).ToArray());
        writer.AddDigitalSignal(new EdfSignalSpec("EMG", -1, 1, 2) { PhysicalDimension = "mV" }, new[] { -5, 5, -6, 6, -7, 7 });
        writer.AddAnnotation(1, null, "Lights off");
        MemoryStream stream = new();
        writer.Write(stream);
        return stream.ToArray();
    }

    /// <summary>Number of signals in a header (field at byte 252).</summary>
    public static int SignalCount(byte[] file) => int.Parse(Encoding.ASCII.GetString(file, 252, 4).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Byte offset of a per-signal field: 256 + fieldStart × ns + signal × width.</summary>
    public static int SignalFieldOffset(byte[] file, int fieldStart, int width, int signal) => 256 + (fieldStart * SignalCount(file)) + (signal * width);

    /// <summary>Overwrites a fixed-width field with <paramref name="text"/>, space padded.</summary>
    public static byte[] Patch(byte[] file, int offset, int width, string text)
    {
        byte[] copy = (byte[])file.Clone();
        byte[] field = Encoding.Latin1.GetBytes(text.PadRight(width));
        Array.Copy(field, 0, copy, offset, width);
        return copy;
    }

    public static EdfReader Open(byte[] file) => EdfReader.Open(new MemoryStream(file));
}
