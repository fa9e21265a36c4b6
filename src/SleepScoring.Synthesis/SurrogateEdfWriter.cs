using SleepScoring.Edf;

namespace SleepScoring.Synthesis;

/// <summary>
/// Writes a <see cref="SurrogateRecording"/> as an EDF+C PSG file laid out like Sleep-EDF: same
/// labels, transducers, dimensions and prefiltering texts, 30-s data records, 16-bit samples
/// with a physical range fitted to the data (Sleep-EDF's 12-bit ±200 µV would clip surrogate
/// artefact epochs). Patient fields are unknown (X); the recording field says it is a surrogate.
/// </summary>
public static class SurrogateEdfWriter
{
    /// <summary>Seconds per data record, as in Sleep-EDF.</summary>
    public const double RecordDuration = 30;

    /// <summary>Writes <paramref name="recording"/> to <paramref name="path"/>, starting at <paramref name="startTime"/>.</summary>
    public static void WritePsg(SurrogateRecording recording, DateTime startTime, string path)
    {
        ArgumentNullException.ThrowIfNull(recording);
        EdfWriter writer = new()
        {
            StartTime = startTime,
            RecordDuration = RecordDuration,
            Recording = new EdfRecording { Additional = $"surrogate of {recording.Name}, not real" },
        };

        foreach (SurrogateSignal signal in recording.Signals)
        {
            (double min, double max) = PhysicalRange(signal);
            EdfSignalSpec spec = new(signal.Label, min, max, (int)Math.Round(signal.SamplingRate * RecordDuration))
            {
                TransducerType = signal.Transducer,
                PhysicalDimension = signal.Dimension,
                Prefiltering = signal.Prefiltering,
            };
            writer.AddSignal(spec, signal.Samples);
        }

        writer.Write(path);
    }

    /// <summary>
    /// A range that holds every sample: symmetric and rounded up to 10 units for µV signals,
    /// otherwise the data's extent widened by one unit each side (EDF needs min ≠ max).
    /// </summary>
    internal static (double Min, double Max) PhysicalRange(SurrogateSignal signal)
    {
        double low = 0, high = 0;
        foreach (float v in signal.Samples)
        {
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }

        if (signal.Dimension == "uV")
        {
            double bound = Math.Max(10, Math.Ceiling(Math.Max(-low, high) * 1.01 / 10) * 10);
            return (-bound, bound);
        }

        if (signal.Samples.Length > 0)
        {
            low = signal.Samples.Min();
            high = signal.Samples.Max();
        }

        return (Math.Floor(low) - 1, Math.Ceiling(high) + 1);
    }
}
