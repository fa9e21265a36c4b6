using System.Diagnostics;
using System.Globalization;

namespace SleepScoring.Training.Training;

/// <summary>
/// A one-line progress bar for a terminal (stderr by default): bar, step count, elapsed time,
/// ETA from the mean step time so far, and the caller's current loss and accuracy. Redraws at
/// most every 200 ms so printing never slows training. When stderr is redirected (CI logs) it
/// writes one ordinary line every 10 s instead of carriage-return redraws.
/// </summary>
public sealed class ProgressBar
{
    private const int BarWidth = 24;
    private readonly TextWriter writer;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly string label;
    private readonly long total;
    private readonly bool lines;
    private readonly long intervalMs;
    private long lastDrawMs = -100_000;
    private bool lineOpen;

    /// <summary>A bar for <paramref name="total"/> steps written to <paramref name="writer"/> (stderr when null).</summary>
    public ProgressBar(string label, long total, TextWriter? writer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        this.label = label;
        this.total = total;
        this.writer = writer ?? Console.Error;
        lines = writer is null && Console.IsErrorRedirected;
        intervalMs = lines ? 10_000 : 200;
    }

    /// <summary>Reports that <paramref name="done"/> of the steps are complete.</summary>
    public void Report(long done, double loss, double accuracy, bool force = false)
    {
        long now = clock.ElapsedMilliseconds;
        if (!force && now - lastDrawMs < intervalMs && done < total)
        {
            return;
        }

        lastDrawMs = now;
        if (!lines)
        {
            writer.Write('\r');
        }

        writer.Write(Format(done, clock.Elapsed, loss, accuracy));
        lineOpen = true;
        if (lines || done >= total)
        {
            Complete();
        }

        writer.Flush();
    }

    /// <summary>Ends the bar's line (after early stopping the bar may not have reached its total).</summary>
    public void Complete()
    {
        if (lineOpen)
        {
            writer.WriteLine();
            lineOpen = false;
            writer.Flush();
        }
    }

    /// <summary>The text of one redraw (exposed for tests).</summary>
    internal string Format(long done, TimeSpan elapsed, double loss, double accuracy)
    {
        done = Math.Clamp(done, 0, total);
        int filled = (int)(BarWidth * done / total);
        TimeSpan eta = done == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(elapsed.Ticks * (total - done) / done);
        return string.Create(CultureInfo.InvariantCulture,
            $"{label} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {done}/{total} {elapsed:hh\\:mm\\:ss} ETA {eta:hh\\:mm\\:ss} loss {loss:F3} acc {accuracy:P1}");
    }
}
