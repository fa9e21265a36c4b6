using System.Text;

namespace SleepScoring.Edf;

/// <summary>
/// Lays annotations out over the data records as EDF+ TALs: each record starts with its
/// time-keeping TAL <c>+t\x14\x14\x00</c>, followed by the annotations whose onset falls in it.
/// </summary>
internal static class TalEncoder
{
    private const byte DurationMark = 0x15;
    private const byte TextEnd = 0x14;

    /// <summary>The TAL bytes of each record; <paramref name="startOffset"/> is the sub-second start added to every time.</summary>
    public static byte[][] Encode(IReadOnlyList<EdfAnnotation> annotations, long recordCount, double recordDuration, double startOffset)
    {
        List<byte>[] records = new List<byte>[recordCount];
        for (long r = 0; r < recordCount; r++)
        {
            records[r] = [];
            AppendTal(records[r], startOffset + (r * recordDuration), null, [string.Empty]);
        }

        foreach (EdfAnnotation a in annotations)
        {
            long r = recordDuration > 0 ? Math.Clamp((long)Math.Floor(a.Onset / recordDuration), 0, recordCount - 1) : 0;
            AppendTal(records[r], startOffset + a.Onset, a.Duration, [a.Text]);
        }

        return [.. records.Select(bytes => bytes.ToArray())];
    }

    private static void AppendTal(List<byte> into, double onset, double? duration, string[] texts)
    {
        into.AddRange(Encoding.ASCII.GetBytes(HeaderFieldWriter.Seconds(onset, signed: true)));
        if (duration is { } d)
        {
            into.Add(DurationMark);
            into.AddRange(Encoding.ASCII.GetBytes(HeaderFieldWriter.Seconds(d, signed: false)));
        }

        into.Add(TextEnd);
        foreach (string text in texts)
        {
            into.AddRange(Encoding.UTF8.GetBytes(text));
            into.Add(TextEnd);
        }

        into.Add(0);
    }
}
