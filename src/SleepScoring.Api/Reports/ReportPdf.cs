using System.Globalization;

using PdfSharp.Drawing;
using PdfSharp.Pdf;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Rendering.Hypnogram;

namespace SleepScoring.Api.Reports;

/// <summary>
/// Lays out a <see cref="StudyReport"/> on two A4 pages with PDFsharp: page 1 the recording, the
/// hypnogram and hypnodensity and the AASM statistics; page 2 the review and sign-off, the model
/// and its limits. Text is drawn as text (extractable, searchable), the plot as one PNG.
/// </summary>
public static class ReportPdf
{
    /// <summary>What the model cannot promise, in plain words; printed on every report.</summary>
    public const string Limits =
        "This hypnogram was scored automatically by an integer-only vision transformer. It is a decision aid, not a diagnosis. " +
        "The model reads only the EEG derivations listed on page 1 and was trained on the data named above; its accuracy on other montages, " +
        "devices, sites and populations (children, severe sleep apnoea, neurological disease, medication) is not established. " +
        "Agreement with human scorers is lowest for N1 and at stage transitions, where human scorers also disagree. " +
        "Statistics are computed from the final stages (the scorer's where corrected) and depend on the lights-off and lights-on times given. " +
        "A qualified scorer must review the study before its results are used clinically; a report that is not signed off is preliminary.";

    private const double Margin = 42;

    private static readonly SleepStage[] Classes = [SleepStage.W, SleepStage.N1, SleepStage.N2, SleepStage.N3, SleepStage.R];

    /// <summary>Writes the report as PDF to <paramref name="output"/>.</summary>
    public static void Write(StudyReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ReportFontResolver.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"Sleep study report {report.Study.Label ?? report.Study.Id}";
        document.Info.Creator = "SleepScoring";
        using (var page = new PageWriter(document.AddPage()))
        {
            FirstPage(page, report);
            page.Footer(Footer(report, 1));
        }

        using (var page = new PageWriter(document.AddPage()))
        {
            SecondPage(page, report);
            page.Footer(Footer(report, 2));
        }

        document.Save(output, closeStream: false);
    }

    private static string Footer(StudyReport r, int page) =>
        $"SleepScoring · study {r.Study.Id} · generated {r.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC · page {page} of 2";

    private static void FirstPage(PageWriter page, StudyReport r)
    {
        page.Title("Sleep study report", r.SignOff is null ? ("PRELIMINARY – not signed off", XColors.DarkRed) : ("Signed off", XColors.DarkGreen));
        page.Text($"Study {r.Study.Label ?? "(no label)"} · {r.Study.Id}", 10, bold: true);
        page.Space(6);
        page.Heading("Recording");
        double seconds = r.Study.DurationSeconds ?? 0;
        page.Pairs(
        [
            ("Recording start (recorder's clock)", r.Result.Start.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
            ("Duration", $"{Clock(seconds)} ({r.Result.Epochs.Count} epochs of 30 s)"),
            ("Lights off / on", $"{Offset(r.Study.AnalysedLightsOff, "recording start")} / {Offset(r.Study.AnalysedLightsOn, "recording end")}"),
            ("File", $"{r.Study.FileType}, {r.Study.SizeBytes / 1e6:0.0} MB, header {(r.Study.Deidentified ? "de-identified" : "as uploaded")}"),
            ("Derivations the model read", r.Extras.Derivations.Count == 0 ? "–" : string.Join("; ", r.Extras.Derivations.Select(d => $"{d.Name} ← {d.Source}"))),
            ("Uploaded", $"{r.Study.UploadedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC by a {r.Study.UploaderRole ?? "revoked"} key"),
        ]);
        page.Space(4);
        page.Heading("Hypnogram and hypnodensity");
        var plot = new HypnogramPlotInput(r.Result.ModelStages, TimeSpan.FromSeconds(Hypnogram.StandardEpochSeconds), r.Result.Start)
        {
            Probabilities = r.Result.Probabilities,
            Corrections = r.Result.HasCorrections ? r.Result.FinalStages : null,
            Title = $"Model ({r.Model.Name} {r.Model.Version})",
            CorrectionsTitle = "Final (scorer's stage where corrected)",
        };
        page.Image(new HypnogramPlotRenderer(1400).RenderPng(plot));
        page.Space(6);
        page.Heading("Sleep statistics (AASM; final stages)");
        SleepStatistics s = r.Statistics;
        page.Pairs(
        [
            ("Time in bed (TIB)", Minutes(s.TimeInBedMinutes)),
            ("Total sleep time (TST)", Minutes(s.TotalSleepTimeMinutes)),
            ("Sleep period time (SPT)", Minutes(s.SleepPeriodTimeMinutes)),
            ("Sleep efficiency (SE)", s.SleepEfficiencyPercent is double se ? $"{se.ToString("0.0", CultureInfo.InvariantCulture)} %" : "–"),
            ("Sleep onset latency (SOL)", Minutes(s.SleepOnsetLatencyMinutes)),
            ("Persistent sleep latency", Minutes(s.PersistentSleepLatencyMinutes)),
            ("REM latency (from sleep onset)", Minutes(s.RemLatencyMinutes)),
            ("Wake after sleep onset (WASO)", Minutes(s.WakeAfterSleepOnsetMinutes)),
            ("Awakenings", s.Awakenings.ToString(CultureInfo.InvariantCulture)),
            ("Unscored / artefact epochs", $"{s.UnscoredEpochs} / {s.ArtefactEpochs}"),
        ],
            columns: 2);
        page.Space(4);
        page.Table(
            ["Stage", "Minutes", "% of TST"],
            [.. Classes.Select(c => new[]
            {
                c.ToString(),
                s.StageMinutes.GetValueOrDefault(c).ToString("0.0", CultureInfo.InvariantCulture),
                c == SleepStage.W ? "–" : s.StagePercentOfSleep.GetValueOrDefault(c).ToString("0.0", CultureInfo.InvariantCulture),
            })]);
    }

    private static void SecondPage(PageWriter page, StudyReport r)
    {
        page.Heading("Review and sign-off");
        ReviewSummary v = r.Review;
        page.Pairs(
        [
            ("Review queue reviewed", $"{v.QueueReviewed} of {v.QueueEpochs} epochs (ranked by probability of error × clinical impact)"),
            ("Epochs with a scorer's stage", $"{v.ReviewedEpochs} of {r.Result.Epochs.Count}"),
            ("Epochs corrected", $"{v.CorrectedEpochs} (stage changed from the model's)"),
            ("Signed off", r.SignOff is null ? "not signed off – this report is preliminary" : $"by {r.SignOff.SignedByName} ({r.SignOff.SignedByRole}, key {r.SignOff.SignedBy}) at {r.SignOff.SignedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC"),
        ]);
        if (r.SignOff?.Statement is { Length: > 0 } statement)
        {
            page.Paragraph($"Statement: {statement}", 9);
        }

        page.Space(6);
        page.Heading("Model");
        page.Pairs([("Name and version", $"{r.Model.Name} {r.Model.Version}"), .. r.Model.Figures]);
        if (r.Model.TrainingData is string data)
        {
            page.Paragraph($"Training data: {data}.", 9);
        }

        page.Space(6);
        page.Heading("Limits of the model");
        page.Paragraph(Limits, 9);
        if (r.Warnings.Count > 0)
        {
            page.Space(6);
            page.Heading("Warnings about this recording");
            foreach (string warning in r.Warnings.Take(12))
            {
                page.Paragraph("• " + warning, 8.5);
            }

            if (r.Warnings.Count > 12)
            {
                page.Paragraph($"… and {r.Warnings.Count - 12} more (see the study in the workstation).", 8.5);
            }
        }
    }

    private static string Minutes(double? minutes) => minutes is double m ? $"{m.ToString("0.0", CultureInfo.InvariantCulture)} min" : "–";

    private static string Clock(double seconds) => $"{(int)(seconds / 3600)} h {(int)(seconds % 3600 / 60):00} min";

    private static string Offset(double? seconds, string none) => seconds is double s ? $"{Clock(s)} after start" : none;

    /// <summary>A cursor down one page: headings, label/value pairs, tables, wrapped paragraphs, an image.</summary>
    private sealed class PageWriter(PdfPage page) : IDisposable
    {
        private readonly XGraphics g = XGraphics.FromPdfPage(page);
        private readonly double width = page.Width.Point - (2 * Margin);
        private double y = Margin;

        public void Title(string text, (string Text, XColor Color) status)
        {
            var font = new XFont(Rendering.Text.FontFiles.DejaVuSansFamily, 18, XFontStyleEx.Bold);
            g.DrawString(text, font, XBrushes.Black, new XPoint(Margin, y + 18));
            var badge = new XFont(Rendering.Text.FontFiles.DejaVuSansFamily, 10, XFontStyleEx.Bold);
            XSize size = g.MeasureString(status.Text, badge);
            g.DrawString(status.Text, badge, new XSolidBrush(status.Color), new XPoint(Margin + width - size.Width, y + 16));
            y += 28;
        }

        public void Heading(string text)
        {
            Text(text, 11.5, bold: true);
            g.DrawLine(new XPen(XColors.Gray, 0.5), Margin, y, Margin + width, y);
            y += 5;
        }

        public void Text(string text, double size, bool bold = false)
        {
            var font = new XFont(Rendering.Text.FontFiles.DejaVuSansFamily, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            g.DrawString(text, font, XBrushes.Black, new XPoint(Margin, y + size));
            y += size * 1.45;
        }

        public void Space(double points) => y += points;

        /// <summary>Label and value pairs in one or more columns; long values wrap within their column.</summary>
        public void Pairs(IReadOnlyList<(string Label, string Value)> pairs, int columns = 1)
        {
            var label = new XFont(Rendering.Text.FontFiles.DejaVuSansFamily, 9, XFontStyleEx.Regular);
            var value = new XFont(Rendering.Text.FontFiles.DejaVuSansFamily, 9, XFontStyleEx.Bold);
            double columnWidth = width / columns, labelWidth = columns == 1 ? 190 : 150;
            int rows = (pairs.Count + columns - 1) / columns;
            double top = y, bottom = y;
            for (int c = 0; c < columns; c++)
            {
                y = top;
                foreach ((string l, string v) in pairs.Skip(c * rows).Take(rows))
                {
                    double x = Margin + (c * columnWidth);
                    g.DrawString(l, label, XBrushes.DimGray, new XPoint(x, y + 9));
                    foreach (string line in Wrap(v, value, columnWidth - labelWidth - 8))
                    {
                        g.DrawString(line, value, XBrushes.Black, new XPoint(x + labelWidth, y + 9));
                        y += 13;
                    }
                }

                bottom = Math.Max(bottom, y);
            }

            y = bottom + 2;
        }

        public void Table(string[] header, IReadOnlyList<string[]> rows)
        {
            var bold = new XFont(Rendering.Text.FontFiles.DejaVuSansFamily, 9, XFontStyleEx.Bold);
            var regular = new XFont(Rendering.Text.FontFiles.DejaVuSansFamily, 9, XFontStyleEx.Regular);
            const double Column = 90;
            for (int i = 0; i < header.Length; i++)
            {
                g.DrawString(header[i], bold, XBrushes.Black, new XPoint(Margin + (i * Column), y + 9));
            }

            y += 14;
            foreach (string[] row in rows)
            {
                for (int i = 0; i < row.Length; i++)
                {
                    g.DrawString(row[i], regular, XBrushes.Black, new XPoint(Margin + (i * Column), y + 9));
                }

                y += 13;
            }
        }

        public void Paragraph(string text, double size)
        {
            var font = new XFont(Rendering.Text.FontFiles.DejaVuSansFamily, size, XFontStyleEx.Regular);
            foreach (string line in Wrap(text, font, width))
            {
                g.DrawString(line, font, XBrushes.Black, new XPoint(Margin, y + size));
                y += size * 1.4;
            }
        }

        public void Image(byte[] png)
        {
            using var stream = new MemoryStream(png);
            using XImage image = XImage.FromStream(stream);
            double height = width * image.PixelHeight / image.PixelWidth;
            g.DrawImage(image, Margin, y, width, height);
            y += height;
        }

        public void Footer(string text)
        {
            var font = new XFont(Rendering.Text.FontFiles.DejaVuSansFamily, 7.5, XFontStyleEx.Regular);
            g.DrawString(text, font, XBrushes.Gray, new XPoint(Margin, page.Height.Point - (Margin / 2)));
        }

        public void Dispose() => g.Dispose();

        private IEnumerable<string> Wrap(string text, XFont font, double maxWidth)
        {
            string line = string.Empty;
            foreach (string word in text.Split(' '))
            {
                string candidate = line.Length == 0 ? word : $"{line} {word}";
                if (line.Length > 0 && g.MeasureString(candidate, font).Width > maxWidth)
                {
                    yield return line;
                    line = word;
                }
                else
                {
                    line = candidate;
                }
            }

            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
