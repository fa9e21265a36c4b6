using SkiaSharp;

namespace SleepScoring.Rendering.Hypnogram;

/// <summary>The clock-time axis under the plot: ticks at whole hours (finer for short recordings).</summary>
internal static class TimeAxis
{
    public static void Draw(SKCanvas canvas, Labels labels, HypnogramPlotLayout layout, DateTime start, TimeSpan epochLength)
    {
        TimeSpan duration = epochLength * layout.EpochCount;
        TimeSpan step = duration >= TimeSpan.FromHours(3) ? TimeSpan.FromHours(1)
            : duration >= TimeSpan.FromHours(1) ? TimeSpan.FromMinutes(30)
            : TimeSpan.FromMinutes(5);
        float axis = layout.AxisTop + 0.5f;
        float left = layout.EpochLeft(0);
        float right = layout.EpochLeft(layout.EpochCount);
        using var ink = new SKPaint { Color = new SKColor(0x50, 0x50, 0x50), StrokeWidth = 1f };
        canvas.DrawLine(left, axis, right, axis, ink);

        // First tick: the first whole step of clock time at or after the start.
        DateTime tick = new(start.Ticks + ((step.Ticks - (start.TimeOfDay.Ticks % step.Ticks)) % step.Ticks), start.Kind);
        for (; tick <= start + duration; tick += step)
        {
            float x = MathF.Floor(left + (float)((tick - start) / duration * (right - left))) + 0.5f;
            canvas.DrawLine(x, axis, x, axis + 5f, ink);
            labels.Centre(tick.ToString(step < TimeSpan.FromHours(1) ? "HH:mm" : "HH:00", System.Globalization.CultureInfo.InvariantCulture), x, axis + 19f);
        }

        string hours = (duration.TotalHours).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        labels.Centre($"clock time (start {start:HH:mm:ss}, {hours} h)", (left + right) / 2f, axis + 37f);
    }
}
