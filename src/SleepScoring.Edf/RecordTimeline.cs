namespace SleepScoring.Edf;

/// <summary>
/// When each data record starts: from the time-keeping TALs for EDF+D, <c>i × duration</c> otherwise.
/// Times are seconds from the recording start including the sub-second start offset of the first TAL.
/// </summary>
internal sealed class RecordTimeline
{
    // A gap shorter than this is rounding in the TAL onsets, not a gap.
    private const double GapTolerance = 1e-6;

    // Time-keeping onsets beyond ~31 years are not a recording; they would overflow DateTime arithmetic.
    private const double MaxStartOffset = 1e9;

    private RecordTimeline(double startOffset, IReadOnlyList<double> onsets, IReadOnlyList<EdfGap> gaps, double duration)
    {
        StartOffset = startOffset;
        Onsets = onsets;
        Gaps = gaps;
        Duration = duration;
    }

    /// <summary>Seconds from the header's start time to the first record (the first time-keeping TAL).</summary>
    public double StartOffset { get; }

    public IReadOnlyList<double> Onsets { get; }

    public IReadOnlyList<EdfGap> Gaps { get; }

    /// <summary>Seconds from the start to the end of the last record.</summary>
    public double Duration { get; }

    public static RecordTimeline Build(ParsedHeader header, RecordBytes records, List<EdfWarning> warnings)
    {
        EdfSignal? keeper = header.Signals.FirstOrDefault(s => s.IsAnnotation);
        UniformOnsets uniform = new(header.RecordCount, header.RecordDuration);
        if (keeper is null || !header.FileType.IsPlus() || header.RecordCount == 0)
        {
            return new RecordTimeline(0, uniform, [], header.RecordCount * header.RecordDuration);
        }

        Tal? first = records.TimeKeeping(keeper, 0, warnings);
        if (first is null)
        {
            warnings.Add(new EdfWarning(EdfWarningCodes.TimeKeepingMissing, "the first data record has no time-keeping annotation; start offset taken as 0", keeper.Label, records.SegmentOffset(keeper, 0)));
        }

        double startOffset = first?.Onset ?? 0;
        if (Math.Abs(startOffset) > MaxStartOffset)
        {
            throw new EdfFormatException(keeper.Label, records.SegmentOffset(keeper, 0), startOffset.ToString(System.Globalization.CultureInfo.InvariantCulture), "is not a plausible start offset of the first data record", "annotation in data record 0");
        }

        if (!header.FileType.IsDiscontinuous())
        {
            return new RecordTimeline(startOffset, uniform, [], header.RecordCount * header.RecordDuration);
        }

        return Discontinuous(header, records, keeper, startOffset, warnings);
    }

    private static RecordTimeline Discontinuous(ParsedHeader header, RecordBytes records, EdfSignal keeper, double startOffset, List<EdfWarning> warnings)
    {
        double[] onsets = new double[header.RecordCount];
        List<EdfGap> gaps = [];
        double d = header.RecordDuration;
        for (long r = 0; r < header.RecordCount; r++)
        {
            Tal tal = records.TimeKeeping(keeper, r, warnings)
                ?? throw new EdfFormatException(keeper.Label, records.SegmentOffset(keeper, r), null, "has no time-keeping TAL, which every EDF+D data record needs", $"annotation in data record {r}");
            onsets[r] = tal.Onset - startOffset;
            if (r == 0)
            {
                continue;
            }

            double previousEnd = onsets[r - 1] + d;
            if (onsets[r] < previousEnd - GapTolerance)
            {
                throw new EdfFormatException(keeper.Label, records.SegmentOffset(keeper, r), tal.Onset.ToString(System.Globalization.CultureInfo.InvariantCulture), $"starts before the previous record ends ({previousEnd + startOffset} s): EDF+D records must follow each other", $"annotation in data record {r}");
            }

            if (onsets[r] > previousEnd + GapTolerance)
            {
                gaps.Add(new EdfGap(previousEnd, onsets[r] - previousEnd));
            }
        }

        return new RecordTimeline(startOffset, onsets, gaps, onsets[^1] + d);
    }

    /// <summary>i × duration without storing one number per record.</summary>
    private sealed class UniformOnsets(long count, double duration) : IReadOnlyList<double>
    {
        public int Count => (int)Math.Min(count, int.MaxValue);

        public double this[int index] => (uint)index < (uint)Count ? index * duration : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<double> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return i * duration;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
