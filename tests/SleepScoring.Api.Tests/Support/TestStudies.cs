using SleepScoring.Edf;

namespace SleepScoring.Api.Tests.Support;

/// <summary>Studies made in the test: EDF+C files with the two EEG derivations the contract model reads.</summary>
internal static class TestStudies
{
    /// <summary>Overwrites a fixed-width header field (space padded), as a damaged or hostile file would hold it.</summary>
    public static byte[] Patch(byte[] edf, int offset, int width, string value)
    {
        byte[] copy = (byte[])edf.Clone();
        System.Text.Encoding.Latin1.GetBytes(value.PadRight(width)[..width]).CopyTo(copy, offset);
        return copy;
    }

    /// <summary>Offset of the first byte of <paramref name="text"/> in the file (e.g. an annotation to damage).</summary>
    public static int IndexOf(byte[] edf, string text) => System.Text.Encoding.Latin1.GetString(edf).IndexOf(text, StringComparison.Ordinal);

    /// <summary>The repository's sample study (255 epochs, surrogate).</summary>
    public static string Sample => Path.Combine(SleepScoring.Tests.Common.SharedData.RepositoryRoot, "sample-data", "SC4001E0-PSG.edf");

    /// <summary>
    /// An EDF+C of <paramref name="epochs"/> 30-s records with "EEG Fpz-Cz" and "EEG Pz-Oz" at 100 Hz:
    /// a seeded mix of sines and noise (no physiology: it only has to flow through the pipeline).
    /// <paramref name="patientName"/> goes into the EDF+ patient field; <paramref name="annotations"/> (onset, text) into the annotation signal.
    /// </summary>
    public static byte[] Eeg(int epochs, int seed = 1, string? patientName = null, params (double Onset, string Text)[] annotations)
    {
        var random = new Random(seed);
        int n = epochs * 3000;
        float[] fpz = new float[n], pz = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = i / 100.0, slow = Math.Sin(2 * Math.PI * t / 600);
            fpz[i] = (float)((40 * slow * Math.Sin(2 * Math.PI * 2 * t)) + (15 * Math.Sin(2 * Math.PI * 10 * t)) + (10 * (random.NextDouble() - 0.5)));
            pz[i] = (float)((30 * Math.Sin(2 * Math.PI * 1.5 * t)) + (20 * slow * Math.Sin(2 * Math.PI * 12 * t)) + (10 * (random.NextDouble() - 0.5)));
        }

        var writer = new EdfWriter
        {
            RecordDuration = 30,
            StartTime = new DateTime(2024, 3, 1, 22, 30, 0),
            Patient = new EdfPatient { Code = "MRN-4711", Name = patientName, Sex = "F", BirthDate = new DateOnly(1970, 5, 6) },
            Recording = new EdfRecording { StartDate = new DateOnly(2024, 3, 1), Technician = "tech" },
        };
        writer.AddSignal(new EdfSignalSpec("EEG Fpz-Cz", -500, 500, 3000) { PhysicalDimension = "uV" }, fpz);
        writer.AddSignal(new EdfSignalSpec("EEG Pz-Oz", -500, 500, 3000) { PhysicalDimension = "uV" }, pz);
        foreach ((double onset, string text) in annotations)
        {
            writer.AddAnnotation(onset, null, text);
        }
        var stream = new MemoryStream();
        writer.Write(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// A study of <paramref name="hours"/> h written to <paramref name="path"/> record by record (the
    /// test never holds the night): the two EEG derivations at 100 Hz, a 2-s periodic mix of 1.5 and
    /// 10 Hz plus seeded noise.
    /// </summary>
    public static void WriteLongEeg(string path, int hours, int seed = 1)
    {
        long samples = hours * 3600L * 100;
        var writer = new EdfWriter { RecordDuration = 30, StartTime = new DateTime(2024, 3, 1, 20, 0, 0) };
        writer.AddSignal(new EdfSignalSpec("EEG Fpz-Cz", -500, 500, 3000) { PhysicalDimension = "uV" }, samples, Periodic(seed));
        writer.AddSignal(new EdfSignalSpec("EEG Pz-Oz", -500, 500, 3000) { PhysicalDimension = "uV" }, samples, Periodic(seed + 1));
        writer.Write(path);
    }

    private static PhysicalSampleSource Periodic(int seed)
    {
        float[] period = [.. Enumerable.Range(0, 200).Select(i => (float)((40 * Math.Sin(2 * Math.PI * 1.5 * i / 100)) + (15 * Math.Sin(2 * Math.PI * 10 * i / 100))))];
        var random = new Random(seed);
        return (first, destination) =>
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = period[(first + i) % period.Length] + (float)((random.NextDouble() - 0.5) * 20);
            }
        };
    }
}
