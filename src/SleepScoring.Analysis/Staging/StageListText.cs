namespace SleepScoring.Analysis.Staging;

/// <summary>How <see cref="StageListText"/> writes stages.</summary>
public enum StageListEncoding
{
    /// <summary>Short labels <c>W N1 N2 N3 R Uns Art</c> (YASA's string spelling; our plain text).</summary>
    Labels,

    /// <summary>YASA integers: 0 W, 1 N1, 2 N2, 3 N3, 4 R, −1 artefact, −2 unscored.</summary>
    YasaIntegers,
}

/// <summary>
/// One stage per line, one line per epoch: the plain text hypnogram and YASA's
/// <c>*-hypno-30s.txt</c> files. Reading accepts either encoding in one file, any label
/// <see cref="StageLabel"/> knows, blank lines (skipped) and <c>#</c> comment lines (skipped).
/// The text has no time base: the epoch length and start time are the caller's.
/// </summary>
public static class StageListText
{
    /// <summary>Reads a stage-per-line text.</summary>
    /// <exception cref="HypnogramFormatException">A line that is neither a label nor a YASA integer (named with its line number), or no stages.</exception>
    public static Hypnogram Read(TextReader reader, double epochSeconds = Hypnogram.StandardEpochSeconds, DateTime? startTime = null)
    {
        var stages = new List<SleepStage>();
        foreach ((int number, string text) in TextLines.Read(reader))
        {
            ReadOnlySpan<char> value = text.AsSpan().Trim();
            if (value.IsEmpty || value[0] == '#')
            {
                continue;
            }

            if (!StageLabel.TryParseYasaInteger(value, out SleepStage stage) && !StageLabel.TryParse(value, out stage))
            {
                throw new HypnogramFormatException(number, "stage", text, "not a stage (expected W, N1, N2, N3, R, Uns, Art or YASA's 0–4, −1, −2)");
            }

            if (stages.Count == Hypnogram.MaxEpochs)
            {
                throw new HypnogramFormatException(number, "stage", text, $"more than {Hypnogram.MaxEpochs} epochs");
            }

            stages.Add(stage);
        }

        if (stages.Count == 0)
        {
            throw new HypnogramFormatException(0, "stage", null, "the text holds no stages");
        }

        return new Hypnogram(stages, epochSeconds, startTime);
    }

    /// <summary>Writes one stage per line in <paramref name="encoding"/>, with no header.</summary>
    public static void Write(Hypnogram hypnogram, TextWriter writer, StageListEncoding encoding = StageListEncoding.Labels)
    {
        ArgumentNullException.ThrowIfNull(hypnogram);
        ArgumentNullException.ThrowIfNull(writer);
        foreach (SleepStage stage in hypnogram.Stages)
        {
            if (encoding == StageListEncoding.YasaIntegers)
            {
                writer.Write(StageLabel.ToYasaInteger(stage).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                writer.Write(StageLabel.ToShort(stage));
            }

            writer.Write('\n');
        }
    }
}
