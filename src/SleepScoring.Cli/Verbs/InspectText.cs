using System.Globalization;

namespace SleepScoring.Cli.Verbs;

/// <summary>The human-readable layout of an <see cref="InspectReport"/>.</summary>
internal static class InspectText
{
    public static void Write(InspectReport r, TextWriter o)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        o.WriteLine($"file          {r.File}");
        o.WriteLine($"type          {r.FileType}");
        o.WriteLine(string.Create(c, $"start         {r.StartTime:yyyy-MM-dd HH:mm:ss.fff}"));
        o.WriteLine(string.Create(c, $"duration      {r.DurationSeconds:0.###} s ({r.RecordCount} records of {r.RecordDurationSeconds:0.######} s)"));
        o.WriteLine(r.Patient is null ? "patient       (hidden; --show-patient shows it)" : $"patient       {r.Patient.Identification}");
        if (r.Recording is { } rec)
        {
            o.WriteLine($"recording     startdate {rec.StartDate?.ToString("yyyy-MM-dd", c) ?? "X"}, equipment {rec.Equipment ?? "X"}, technician {rec.Technician ?? "X"}");
        }

        o.WriteLine();
        o.WriteLine($"signals       {r.Signals.Count}");
        string[] head = ["#", "label", "unit", "rate/Hz", "samples", "physical range", "digital range", "prefiltering"];
        List<string[]> rows = [head];
        rows.AddRange(r.Signals.Select(s => new[]
        {
            s.Index.ToString(c), s.Label, s.IsAnnotation ? "(annotations)" : s.Unit, s.SamplingRate.ToString("0.###", c), s.Samples.ToString(c),
            $"{s.PhysicalMinimum.ToString("G6", c)} .. {s.PhysicalMaximum.ToString("G6", c)}", $"{s.DigitalMinimum} .. {s.DigitalMaximum}", s.Prefiltering,
        }));
        WriteTable(rows, o);

        o.WriteLine();
        o.WriteLine($"annotations   {r.AnnotationCount}");
        foreach (Edf.EdfAnnotation a in r.FirstAnnotations)
        {
            string duration = a.Duration is { } d ? d.ToString("0.###", c) + " s" : "-";
            o.WriteLine(string.Create(c, $"  {a.Onset,12:0.000} s  {duration,10}  {a.Text}"));
        }

        if (r.Gaps.Count > 0)
        {
            o.WriteLine();
            o.WriteLine($"gaps          {r.Gaps.Count}");
            foreach (Edf.EdfGap g in r.Gaps)
            {
                o.WriteLine(string.Create(c, $"  at {g.Start:0.###} s for {g.Duration:0.###} s"));
            }
        }

        o.WriteLine();
        o.WriteLine($"warnings      {r.Warnings.Count}");
        foreach (Edf.EdfWarning w in r.Warnings)
        {
            o.WriteLine($"  {w.Code}  {w.Message}");
        }
    }

    private static void WriteTable(List<string[]> rows, TextWriter o)
    {
        int[] widths = [.. Enumerable.Range(0, rows[0].Length).Select(col => rows.Max(row => row[col].Length))];
        foreach (string[] row in rows)
        {
            o.WriteLine(("  " + string.Join("  ", row.Select((cell, col) => cell.PadRight(widths[col])))).TrimEnd());
        }
    }
}
