using SleepScoring.Edf;

namespace SleepScoring.Training.Sites;

/// <summary>One recorded signal of a <see cref="RecordedStudy"/>: its header fields and physical samples.</summary>
/// <param name="Label">EDF label, e.g. <c>EEG Fpz-Cz</c>.</param>
/// <param name="Dimension">Physical dimension, e.g. <c>uV</c>.</param>
/// <param name="Transducer">Transducer type.</param>
/// <param name="Prefiltering">Prefiltering text.</param>
/// <param name="Rate">Samples per second.</param>
/// <param name="Samples">Physical samples.</param>
public sealed record RecordedChannel(string Label, string Dimension, string Transducer, string Prefiltering, double Rate, float[] Samples)
{
    /// <summary>Whether the label names an EEG signal (<c>EEG …</c>).</summary>
    public bool IsEeg => Label.TrimStart().StartsWith("EEG", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A whole EDF study in memory (signals as physical samples, annotations, start time and record
/// length), to transform and write again: the site-shift benchmark makes its shifted studies this way.
/// </summary>
/// <param name="StartTime">Recording start.</param>
/// <param name="RecordDuration">Seconds per data record.</param>
/// <param name="Channels">The ordinary signals, in file order.</param>
/// <param name="Annotations">The annotations (time-keeping TALs excluded).</param>
public sealed record RecordedStudy(DateTime StartTime, double RecordDuration, IReadOnlyList<RecordedChannel> Channels, IReadOnlyList<EdfAnnotation> Annotations)
{
    /// <summary>Reads every ordinary signal and annotation of <paramref name="path"/>.</summary>
    public static RecordedStudy Read(string path)
    {
        using EdfReader reader = EdfReader.Open(path);
        var channels = reader.Signals.Where(s => !s.IsAnnotation)
            .Select(s => new RecordedChannel(s.Label, s.PhysicalDimension, s.TransducerType, s.Prefiltering, s.SamplingRate, reader.ReadPhysical(s.Index)))
            .ToArray();
        return new RecordedStudy(reader.Header.StartTime, reader.Header.RecordDuration, channels, [.. reader.ReadAnnotations()]);
    }

    /// <summary>
    /// Writes the study as EDF+C with the same start, record length and annotations; each signal's
    /// physical range is fitted to its samples (symmetric, rounded up), so any gain fits 16 bits.
    /// </summary>
    public void Write(string path)
    {
        var writer = new EdfWriter { StartTime = StartTime, RecordDuration = RecordDuration };
        foreach (RecordedChannel c in Channels)
        {
            double peak = c.Samples.Length == 0 ? 1 : c.Samples.Max(v => Math.Abs((double)v));
            double range = Math.Max(1, Math.Ceiling(peak * 1.01));
            int perRecord = (int)Math.Round(c.Rate * RecordDuration);
            writer.AddSignal(new EdfSignalSpec(c.Label, -range, range, perRecord) { PhysicalDimension = c.Dimension, TransducerType = c.Transducer, Prefiltering = c.Prefiltering }, c.Samples);
        }

        foreach (EdfAnnotation annotation in Annotations)
        {
            writer.AddAnnotation(annotation);
        }

        writer.Write(path);
    }
}
