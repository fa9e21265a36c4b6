using System.Globalization;

namespace SleepScoring.Analysis.Staging;

/// <summary>
/// The annotation CSV: a header row, then <c>onset,duration,stage</c> with onset and duration in
/// seconds from the hypnogram start (an empty duration is a point annotation). We write one row per
/// epoch with short labels (<c>W N1 N2 N3 R Uns Art</c>), and when the hypnogram carries
/// probabilities, five more columns <c>p_W,p_N1,p_N2,p_N3,p_R</c>. That layout:
/// <list type="bullet">
/// <item>EDFbrowser imports (annotation import, ASCII/CSV: separator comma, skip 1 line, onset
/// column 1 in relative seconds, duration column 2, description column 3);</item>
/// <item>YASA reads with <c>yasa.Hypnogram(pd.read_csv(path)["stage"].to_numpy())</c>: one value per epoch,
/// its own upper-cased spellings <c>W N1 N2 N3 R UNS ART</c>.</item>
/// </list>
/// Reading finds the columns by header name (case-insensitive): onset = <c>onset</c> or
/// <c>Recording onset</c>; duration = <c>duration</c> (optional); stage = <c>stage</c> (strict: every row
/// must be a stage), else <c>annotation</c>/<c>description</c> (EDFbrowser's and MNE's exports, where
/// non-stage rows such as <c>Lights off</c> are allowed). The separator is the header's first
/// comma, semicolon or tab. Rows may be per epoch or per run; <see cref="StageTimeline"/>'s rules apply.
/// Probability columns, when present, need one row per epoch in order. Blank lines and <c>#</c> comment lines are skipped.
/// </summary>
public static class HypnogramCsv
{
    private static readonly string[] ProbabilityColumns = ["p_W", "p_N1", "p_N2", "p_N3", "p_R"];

    /// <summary>Reads an annotation CSV.</summary>
    /// <exception cref="HypnogramFormatException">Missing header columns, a bad number or label (line and column named).</exception>
    public static AnnotatedHypnogram Read(TextReader reader, double epochSeconds = Hypnogram.StandardEpochSeconds, DateTime? startTime = null)
    {
        var annotations = new List<StageAnnotation>();
        var probabilities = new List<float[]>();
        var lines = new List<int>();
        Columns? columns = null;
        foreach ((int number, string text) in TextLines.Read(reader))
        {
            if (string.IsNullOrWhiteSpace(text) || text.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (columns is null)
            {
                columns = Columns.FromHeader(number, text);
                continue;
            }

            string[] cells = text.Split(columns.Separator);
            annotations.Add(new StageAnnotation(
                Number(number, cells, columns.Onset, "onset"),
                columns.Duration is int d && !string.IsNullOrWhiteSpace(Cell(number, cells, d, "duration")) ? Number(number, cells, d, "duration") : null,
                Cell(number, cells, columns.Stage, columns.StageName)));
            lines.Add(number);
            if (columns.Probabilities is int[] p)
            {
                probabilities.Add([.. p.Select((column, k) => Probability(number, cells, column, ProbabilityColumns[k]))]);
            }
        }

        if (columns is null)
        {
            throw new HypnogramFormatException(1, "header", null, "the file is empty; expected a header such as onset,duration,stage");
        }

        AnnotatedHypnogram result = StageTimeline.Build(annotations, epochSeconds, startTime, strictLabels: columns.StrictLabels);
        return columns.Probabilities is null ? result : WithProbabilities(result, annotations, lines, probabilities);
    }

    /// <summary>Writes <c>onset,duration,stage</c> (and the probability columns when present), one row per epoch.</summary>
    public static void Write(Hypnogram hypnogram, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(hypnogram);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(hypnogram.HasProbabilities ? "onset,duration,stage," + string.Join(',', ProbabilityColumns) + "\n" : "onset,duration,stage\n");
        string duration = hypnogram.EpochSeconds.ToString("R", CultureInfo.InvariantCulture);
        for (int i = 0; i < hypnogram.Count; i++)
        {
            writer.Write(hypnogram.OnsetSeconds(i).ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(duration);
            writer.Write(',');
            writer.Write(StageLabel.ToShort(hypnogram[i]));
            if (hypnogram.HasProbabilities)
            {
                foreach (float p in hypnogram.ProbabilitiesAt(i))
                {
                    writer.Write(',');
                    writer.Write(p.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            writer.Write('\n');
        }
    }

    private static AnnotatedHypnogram WithProbabilities(AnnotatedHypnogram result, List<StageAnnotation> rows, List<int> lines, List<float[]> probabilities)
    {
        Hypnogram h = result.Hypnogram;
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows.Count != h.Count || Math.Abs(rows[i].Onset - h.OnsetSeconds(i)) > 1e-6 || Math.Abs((rows[i].Duration ?? 0) - h.EpochSeconds) > 1e-6)
            {
                throw new HypnogramFormatException(lines[i], "onset", rows[i].Onset.ToString(CultureInfo.InvariantCulture), $"probability columns need one row per {h.EpochSeconds}-s epoch, in order from 0");
            }
        }

        return result with { Hypnogram = new Hypnogram(h.Stages, h.EpochSeconds, h.StartTime, probabilities) };
    }

    private static string Cell(int line, string[] cells, int column, string name) =>
        column < cells.Length
            ? cells[column].Trim().Trim('"')
            : throw new HypnogramFormatException(line, name, null, $"missing (the row has {cells.Length} columns)");

    private static double Number(int line, string[] cells, int column, string name)
    {
        string cell = Cell(line, cells, column, name);
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new HypnogramFormatException(line, name, cell, "not a number of seconds");
    }

    private static float Probability(int line, string[] cells, int column, string name)
    {
        string cell = Cell(line, cells, column, name);
        return float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && value is >= 0 and <= 1
            ? value
            : throw new HypnogramFormatException(line, name, cell, "not a probability between 0 and 1");
    }

    private sealed record Columns(char Separator, int Onset, int? Duration, int Stage, string StageName, bool StrictLabels, int[]? Probabilities)
    {
        public static Columns FromHeader(int line, string header)
        {
            header = header.TrimStart('\uFEFF'); // a byte-order mark left by the caller's reader
            char separator = header.IndexOfAny([',', ';', '\t']) is int at and >= 0 ? header[at] : ',';
            string[] names = [.. header.Split(separator).Select(n => n.Trim().Trim('"'))];
            int onset = Find(names, "onset", "recording onset");
            int duration = Find(names, "duration");
            int stage = Find(names, "stage");
            bool strict = stage >= 0;
            if (!strict)
            {
                stage = Find(names, "annotation", "description");
            }

            if (onset < 0 || stage < 0)
            {
                throw new HypnogramFormatException(line, "header", header, "needs an 'onset' column and a 'stage' (or 'annotation'/'description') column");
            }

            int[] probabilities = [.. ProbabilityColumns.Select(p => Find(names, p))];
            int present = probabilities.Count(p => p >= 0);
            if (present is > 0 and < 5)
            {
                throw new HypnogramFormatException(line, "header", header, $"has {present} of the 5 probability columns {string.Join(',', ProbabilityColumns)}");
            }

            return new Columns(separator, onset, duration >= 0 ? duration : null, stage, names[stage], strict, present == 5 ? probabilities : null);
        }

        private static int Find(string[] names, params ReadOnlySpan<string> wanted)
        {
            foreach (string w in wanted)
            {
                int i = Array.FindIndex(names, n => n.Equals(w, StringComparison.OrdinalIgnoreCase));
                if (i >= 0)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
