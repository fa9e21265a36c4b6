using SleepScoring.Edf;

namespace SleepScoring.Analysis.Staging;

/// <summary>
/// Hypnograms as EDF+ annotation files: the Sleep-EDF <c>*-Hypnogram.edf</c> layout (EDF+C, no
/// ordinary signals, record duration 0, one annotation per run of equal epochs), the HMC scoring
/// files (one annotation per epoch, AASM labels, lights-off/on events), and stage annotations inside
/// any EDF+ recording. Only this type touches the EDF library; the epoch rules are
/// <see cref="StageTimeline"/>'s.
/// </summary>
public static class HypnogramEdf
{
    /// <summary>Reads the stage annotations of the EDF+ file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="epochSeconds">Epoch length L.</param>
    /// <param name="recordingSeconds">Length of the matching PSG: when given, the hypnogram is cut or padded (Unscored) to it.</param>
    /// <exception cref="HypnogramFormatException">Not a readable EDF+ file, or no stage annotations.</exception>
    public static AnnotatedHypnogram Read(string path, double epochSeconds = Hypnogram.StandardEpochSeconds, double? recordingSeconds = null)
    {
        using FileStream stream = File.OpenRead(path);
        return Read(stream, epochSeconds, recordingSeconds);
    }

    /// <summary>Reads the stage annotations of an EDF+ stream (readable and seekable).</summary>
    /// <exception cref="HypnogramFormatException">Not a readable EDF+ file, or no stage annotations.</exception>
    public static AnnotatedHypnogram Read(Stream stream, double epochSeconds = Hypnogram.StandardEpochSeconds, double? recordingSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        IReadOnlyList<EdfAnnotation> annotations;
        DateTime start;
        try
        {
            using EdfReader reader = EdfReader.Open(stream, leaveOpen: true);
            annotations = reader.ReadAnnotations();
            start = reader.Header.StartTime;
        }
        catch (EdfFormatException e)
        {
            throw new HypnogramFormatException($"The hypnogram is not a readable EDF+ file: {e.Message}", e);
        }

        return StageTimeline.Build([.. annotations.Select(a => new StageAnnotation(a.Onset, a.Duration, a.Text))], epochSeconds, start, recordingSeconds);
    }

    /// <summary>Writes <paramref name="hypnogram"/> as an annotation-only EDF+C file at <paramref name="path"/>.</summary>
    public static void Write(Hypnogram hypnogram, string path, StageLabelStyle style = StageLabelStyle.SleepEdf, double? lightsOffSeconds = null, double? lightsOnSeconds = null)
    {
        using FileStream stream = new(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(hypnogram, stream, style, lightsOffSeconds, lightsOnSeconds);
    }

    /// <summary>
    /// Writes <paramref name="hypnogram"/> as an annotation-only EDF+C file (record duration 0), one
    /// annotation per run in <paramref name="style"/>, plus <c>Lights off</c>/<c>Lights on</c> when given.
    /// The start time is the hypnogram's (1 Jan 2000 when unknown); patient fields are left unknown.
    /// </summary>
    public static void Write(Hypnogram hypnogram, Stream stream, StageLabelStyle style = StageLabelStyle.SleepEdf, double? lightsOffSeconds = null, double? lightsOnSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(hypnogram);
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new EdfWriter
        {
            FileType = EdfFileType.EdfPlusC,
            StartTime = hypnogram.StartTime ?? new DateTime(2000, 1, 1),
            RecordDuration = 0,
        };
        foreach (StageAnnotation run in StageRuns.ToAnnotations(hypnogram, style))
        {
            writer.AddAnnotation(run.Onset, run.Duration, run.Text);
        }

        if (lightsOffSeconds is double off)
        {
            writer.AddAnnotation(off, null, "Lights off");
        }

        if (lightsOnSeconds is double on)
        {
            writer.AddAnnotation(on, null, "Lights on");
        }

        writer.Write(stream);
    }
}
