namespace SleepScoring.Edf;

/// <summary>
/// Gathers the annotations of every annotation signal in every record. In the first annotation
/// signal the first TAL of each record is the time-keeping TAL: its (empty) first text is skipped.
/// </summary>
internal static class AnnotationCollector
{
    public static IReadOnlyList<EdfAnnotation> Collect(ParsedHeader header, RecordBytes records, double startOffset, List<EdfWarning> warnings)
    {
        List<EdfAnnotation> annotations = [];
        bool first = true;
        foreach (EdfSignal signal in header.Signals.Where(s => s.IsAnnotation))
        {
            bool timeKeeping = first && header.FileType.IsPlus();
            first = false;
            records.VisitSegments(signal, 0, header.RecordCount, (bytes, record, offset) =>
            {
                List<Tal> tals = new TalParser(signal.Label, record, warnings).ParseAll(bytes, offset);
                for (int t = 0; t < tals.Count; t++)
                {
                    Tal tal = tals[t];
                    int skip = timeKeeping && t == 0 && tal.Texts.Length > 0 && tal.Texts[0].Length == 0 ? 1 : 0;
                    foreach (string text in tal.Texts.Skip(skip).Where(text => text.Length > 0))
                    {
                        annotations.Add(new EdfAnnotation(tal.Onset - startOffset, tal.Duration, text));
                    }
                }
            });
        }

        // OrderBy is stable: equal onsets keep file order.
        return [.. annotations.OrderBy(a => a.Onset)];
    }
}
