using System.Globalization;
using System.Text;

using SleepScoring.Edf;

namespace SleepScoring.Analysis.Tests.Conditioning;

/// <summary>Small EDF+ studies built in memory for conditioning tests.</summary>
internal static class StudyFiles
{
    public sealed record Channel(string Label, double Rate, Func<double, double> Microvolts, string Dimension = "uV", double Range = 500);

    /// <summary>10 Hz, 20 µV sine plus 2 Hz, 40 µV: EEG-sized and well inside the pass band.</summary>
    public static double Eeg(double t) => (20 * Math.Sin(2 * Math.PI * 10 * t)) + (40 * Math.Sin(2 * Math.PI * 2 * t));

    public static Channel[] SleepEdfLike(double eegRate = 100) =>
    [
        new("EEG Fpz-Cz", eegRate, Eeg),
        new("EEG Pz-Oz", eegRate, Eeg),
        new("EOG horizontal", eegRate, t => 30 * Math.Sin(2 * Math.PI * 0.5 * t)),
        new("Resp oro-nasal", 1, t => 300 * Math.Sin(2 * Math.PI * 0.25 * t), string.Empty, 2048),
        new("EMG submental", 1, _ => 1.5),
        new("Temp rectal", 1, _ => 36.9, "DegC", 40),
        new("Event marker", 1, _ => 0, string.Empty, 1),
    ];

    /// <summary>An EDF+C study of <paramref name="seconds"/> s in 30-s records (10-s records when shorter).</summary>
    public static MemoryStream Write(Channel[] channels, int seconds, params (double Onset, string Text)[] annotations)
    {
        double record = seconds % 30 == 0 ? 30 : 10;
        var writer = new EdfWriter { RecordDuration = record, StartTime = new DateTime(2024, 3, 1, 22, 0, 0) };
        foreach (Channel c in channels)
        {
            int count = (int)(seconds * c.Rate);
            float[] samples = new float[count];
            for (int i = 0; i < count; i++)
            {
                samples[i] = (float)c.Microvolts(i / c.Rate);
            }

            double low = c.Dimension == "DegC" ? 30 : -c.Range;
            writer.AddSignal(new EdfSignalSpec(c.Label, low, c.Range, (int)(c.Rate * record)) { PhysicalDimension = c.Dimension }, samples);
        }

        foreach ((double onset, string text) in annotations)
        {
            writer.AddAnnotation(onset, null, text);
        }

        var stream = new MemoryStream();
        writer.Write(stream);
        stream.Position = 0;
        return stream;
    }

    /// <summary>
    /// Turns an EDF+C file into EDF+D with records from <paramref name="firstShifted"/> on starting
    /// <paramref name="shift"/> s later: the reserved field says EDF+D and each shifted record's
    /// time-keeping TAL ("+onset") is rewritten with the same number of characters.
    /// </summary>
    public static MemoryStream WithGap(MemoryStream edfPlusC, int firstShifted, int shift)
    {
        byte[] bytes = edfPlusC.ToArray();
        using EdfReader original = EdfReader.Open(new MemoryStream(bytes));
        EdfSignal keeper = original.Signals.First(s => s.IsAnnotation);
        long recordBytes = original.Signals.Sum(s => (long)s.SamplesPerRecord) * 2;
        long keeperOffset = original.Signals.TakeWhile(s => s != keeper).Sum(s => (long)s.SamplesPerRecord) * 2;
        Encoding.ASCII.GetBytes("EDF+D").CopyTo(bytes, 192);
        for (long r = firstShifted; r < original.Header.RecordCount; r++)
        {
            int at = (int)(original.Header.HeaderBytes + (r * recordBytes) + keeperOffset);
            int end = Array.IndexOf(bytes, (byte)0x14, at);
            string old = Encoding.ASCII.GetString(bytes, at, end - at);
            string shifted = "+" + (double.Parse(old[1..], CultureInfo.InvariantCulture) + shift).ToString(CultureInfo.InvariantCulture);
            if (shifted.Length != old.Length)
            {
                throw new InvalidOperationException($"'{old}' → '{shifted}' changes length; pick another shift.");
            }

            Encoding.ASCII.GetBytes(shifted).CopyTo(bytes, at);
        }

        return new MemoryStream(bytes);
    }
}
