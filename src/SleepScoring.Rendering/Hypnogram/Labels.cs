using SkiaSharp;

namespace SleepScoring.Rendering.Hypnogram;

/// <summary>Draws plot labels with one font and paint.</summary>
internal sealed class Labels(SKCanvas canvas, SKFont font, SKPaint paint)
{
    public void Left(string text, float x, float baseline) => canvas.DrawText(text, x, baseline, SKTextAlign.Left, font, paint);

    public void Right(string text, float x, float baseline) => canvas.DrawText(text, x, baseline, SKTextAlign.Right, font, paint);

    public void Centre(string text, float x, float baseline) => canvas.DrawText(text, x, baseline, SKTextAlign.Center, font, paint);
}
