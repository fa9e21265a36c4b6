using System.Globalization;

using SleepScoring.Inference.Scoring;

namespace SleepScoring.Cli.Verbs;

/// <summary>A one-line progress bar on stderr that rewrites itself, and only when stderr is a terminal.</summary>
internal sealed class ProgressLine(TextWriter error) : IProgress<ScoringProgress>, IDisposable
{
    private const int Width = 30;
    private readonly bool interactive = !Console.IsErrorRedirected;
    private int lastPercent = -1;

    public void Report(ScoringProgress value)
    {
        int percent = (int)Math.Round(value.Fraction * 100);
        if (!interactive || percent == lastPercent)
        {
            return;
        }

        lastPercent = percent;
        int filled = percent * Width / 100;
        error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% {value.Stage,-24}"));
    }

    public void Dispose()
    {
        if (interactive && lastPercent >= 0)
        {
            error.WriteLine();
        }
    }
}
