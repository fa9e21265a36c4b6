using System.Text;

namespace SleepScoring.Analysis.Staging;

/// <summary>
/// Reads text hypnograms line by line with bounds: a line longer than <see cref="MaxLineLength"/>
/// or a file with more lines than a hypnogram can need is refused instead of buffered.
/// </summary>
internal static class TextLines
{
    /// <summary>Longest line accepted, in characters.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Most lines accepted (every epoch plus headers, comments and blank lines).</summary>
    public const int MaxLines = (2 * Hypnogram.MaxEpochs) + 1000;

    /// <summary>The lines of <paramref name="reader"/> with their 1-based numbers (CR, LF or CRLF endings).</summary>
    public static IEnumerable<(int Number, string Text)> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var line = new StringBuilder();
        int number = 1;
        bool any = false;
        while (true)
        {
            int c = reader.Read();
            if (c == -1)
            {
                if (any)
                {
                    yield return (number, line.ToString());
                }

                yield break;
            }

            if (c is '\n' or '\r')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                yield return (number, line.ToString());
                line.Clear();
                any = false;
                if (++number > MaxLines)
                {
                    throw new HypnogramFormatException(number, "file", null, $"has more than {MaxLines} lines, more than any hypnogram needs");
                }

                continue;
            }

            if (line.Length >= MaxLineLength)
            {
                throw new HypnogramFormatException(number, "line", null, $"is longer than {MaxLineLength} characters");
            }

            line.Append((char)c);
            any = true;
        }
    }
}
