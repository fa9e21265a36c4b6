namespace SleepScoring.Analysis.Conditioning;

/// <summary>A stretch of recording without gaps, in seconds from the recording start.</summary>
/// <param name="Start">Onset in seconds.</param>
/// <param name="Duration">Length in seconds.</param>
/// <param name="FirstRecord">Index of its first data record.</param>
/// <param name="RecordCount">Number of consecutive data records in it.</param>
public readonly record struct DataSegment(double Start, double Duration, int FirstRecord, int RecordCount)
{
    /// <summary>End in seconds (exclusive).</summary>
    public double End => Start + Duration;

    /// <summary>
    /// Groups data records into gap-free segments: a record continues the current segment when
    /// its onset is the previous onset plus the record duration (±1 ms, the EDF+ TAL precision in
    /// practice). EDF and EDF+C files give one segment; EDF+D files one per contiguous run.
    /// </summary>
    public static IReadOnlyList<DataSegment> FromRecordOnsets(IReadOnlyList<double> onsets, double recordDuration)
    {
        ArgumentNullException.ThrowIfNull(onsets);
        List<DataSegment> segments = [];
        int first = 0;
        for (int r = 1; r <= onsets.Count; r++)
        {
            bool continues = r < onsets.Count && Math.Abs(onsets[r] - (onsets[r - 1] + recordDuration)) <= 1e-3;
            if (!continues)
            {
                segments.Add(new DataSegment(onsets[first], (r - first) * recordDuration, first, r - first));
                first = r;
            }
        }

        return segments;
    }
}
