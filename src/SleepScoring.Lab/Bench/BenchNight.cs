using SleepScoring.Edf;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// A generated 8-hour, 7-channel PSG night for benchmarks: EEG Fpz-Cz, EEG Pz-Oz and EOG at
/// <c>eegRate</c> Hz; respiration, EMG, temperature and an event marker at 1 Hz; 30-s records.
/// </summary>
internal static class BenchNight
{
    public const double Hours = 8;
    private const int RecordSeconds = 30;

    /// <summary>
    /// An AASM clinical montage of the same length: F4-M1, C4-M1, O2-M1 and the back-ups F3-M2,
    /// C3-M2, O1-M2, EOG E1-M2/E2-M2 and chin EMG, all at <paramref name="rate"/> Hz; returns its size.
    /// </summary>
    public static long WriteAasm(string path, int rate)
    {
        int seconds = (int)(Hours * 3600);
        Random random = new(20240301);
        EdfWriter writer = new() { RecordDuration = RecordSeconds, StartTime = new DateTime(2024, 3, 1, 22, 0, 0) };
        foreach ((string label, double scale) in (ReadOnlySpan<(string, double)>)[("F4-M1", 1.6), ("C4-M1", 1.4), ("O2-M1", 1.2), ("F3-M2", 1.6), ("C3-M2", 1.4), ("O1-M2", 1.2)])
        {
            writer.AddSignal(Spec($"EEG {label}", "uV", -500, 500, rate), Wave(seconds * rate, rate, [(10, 20 * scale), (2, 40 * scale)], 8, random));
        }

        writer.AddSignal(Spec("EOG E1-M2", "uV", -1000, 1000, rate), Wave(seconds * rate, rate, [(0.3, 150)], 10, random));
        writer.AddSignal(Spec("EOG E2-M2", "uV", -1000, 1000, rate), Wave(seconds * rate, rate, [(0.3, 150)], 10, random));
        writer.AddSignal(Spec("EMG Chin1-Chin2", "uV", -250, 250, rate), Wave(seconds * rate, rate, [(60, 5)], 15, random));
        writer.AddAnnotation(0, null, "Lights off");
        writer.Write(path);
        return new FileInfo(path).Length;
    }

    /// <summary>Writes the night to <paramref name="path"/> with <see cref="EdfWriter"/> and returns its size in bytes.</summary>
    public static long Write(string path, int eegRate)
    {
        int seconds = (int)(Hours * 3600);
        Random random = new(20240229);
        EdfWriter writer = new() { RecordDuration = RecordSeconds, StartTime = new DateTime(2024, 2, 29, 22, 0, 0) };
        writer.AddSignal(Spec("EEG Fpz-Cz", "uV", -250, 250, eegRate), Wave(seconds * eegRate, eegRate, [(10, 30), (2, 40)], 8, random));
        writer.AddSignal(Spec("EEG Pz-Oz", "uV", -250, 250, eegRate), Wave(seconds * eegRate, eegRate, [(10, 20), (13, 10)], 6, random));
        writer.AddSignal(Spec("EOG horizontal", "uV", -1000, 1000, eegRate), Wave(seconds * eegRate, eegRate, [(0.3, 150)], 10, random));
        writer.AddSignal(Spec("Resp oro-nasal", string.Empty, -2048, 2047, 1), Wave(seconds, 1, [(0.25, 800)], 50, random));
        writer.AddSignal(Spec("EMG submental", "uV", -5, 5, 1), Wave(seconds, 1, [(0.01, 2)], 0.5, random));
        writer.AddSignal(Spec("Temp rectal", "DegC", 34, 40, 1), Wave(seconds, 1, [(0.0001, 0.5)], 0.01, random, offset: 37));
        writer.AddSignal(Spec("Event marker", string.Empty, -2047, 2048, 1), new float[seconds]);
        writer.AddAnnotation(0, null, "Lights off");
        writer.Write(path);
        return new FileInfo(path).Length;
    }

    private static EdfSignalSpec Spec(string label, string unit, double min, double max, int rate)
    {
        return new EdfSignalSpec(label, min, max, rate * RecordSeconds) { PhysicalDimension = unit };
    }

    /// <summary>A sum of sines (frequency Hz, amplitude) plus uniform noise: enough structure that no sample repeats trivially.</summary>
    private static float[] Wave(int count, int rate, (double Hz, double Amplitude)[] parts, double noise, Random random, double offset = 0)
    {
        float[] samples = new float[count];
        for (int i = 0; i < count; i++)
        {
            double t = (double)i / rate;
            double value = offset + (noise * ((random.NextDouble() * 2) - 1));
            foreach ((double hz, double amplitude) in parts)
            {
                value += amplitude * Math.Sin(2 * Math.PI * hz * t);
            }

            samples[i] = (float)value;
        }

        return samples;
    }
}
