using System.Text;

namespace SleepScoring.Api.Ingest;

/// <summary>
/// Rewrites the EDF header's local patient identification (bytes 8–87) and local recording
/// identification (88–167) of a stored file in place. EDF+ keeps its sub-field layout with every
/// sub-field unknown (<c>X X X X</c>; <c>Startdate</c> keeps the date, which the reader needs and
/// which the start-date field at 168 holds anyway); plain EDF gets <c>X</c>.
/// </summary>
public static class HeaderDeidentifier
{
    private const int PatientOffset = 8, RecordingOffset = 88, FieldWidth = 80, ReservedOffset = 192;

    /// <summary>De-identifies the file at <paramref name="path"/>.</summary>
    public static void Deidentify(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        byte[] header = new byte[256];
        file.ReadExactly(header);
        bool plus = Encoding.ASCII.GetString(header, ReservedOffset, 5) is "EDF+C" or "EDF+D" or "BDF+C" or "BDF+D";
        string recording = Encoding.ASCII.GetString(header, RecordingOffset, FieldWidth);
        string[] parts = recording.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string startdate = plus && parts.Length >= 2 && parts[0] == "Startdate" ? $"Startdate {parts[1]} X X X" : plus ? "Startdate X X X X" : "X";
        Write(header, PatientOffset, plus ? "X X X X" : "X");
        Write(header, RecordingOffset, startdate);
        file.Position = 0;
        file.Write(header, 0, ReservedOffset);
    }

    private static void Write(byte[] header, int offset, string text) =>
        Encoding.ASCII.GetBytes(text.PadRight(FieldWidth)[..FieldWidth]).CopyTo(header, offset);
}
