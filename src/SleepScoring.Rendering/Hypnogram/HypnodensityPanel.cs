using SkiaSharp;

using SleepScoring.Analysis;
using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.Hypnogram;

/// <summary>The hypnodensity: per epoch a column of the five stage probabilities stacked in display order.</summary>
internal static class HypnodensityPanel
{
    public const int StageCount = 5;

    public static void Draw(SKCanvas canvas, HypnogramPlotLayout layout, PixelRectangle area, IReadOnlyList<float[]> probabilities)
    {
        // Not anti-aliased: adjacent epoch columns tile without seams.
        using var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = false };
        for (int epoch = 0; epoch < probabilities.Count; epoch++)
        {
            float[] row = probabilities[epoch];
            float sum = 0f;
            foreach (float p in row)
            {
                sum += p;
            }

            if (!float.IsFinite(sum) || sum <= 0f || row.Any(p => p < 0f))
            {
                continue; // nothing trustworthy to show: a gap
            }

            float top = area.Top;
            foreach (SleepStage stage in StagePalette.DisplayOrder)
            {
                // Normalised so that each column fills the panel even if the row does not sum to 1.
                float bottom = top + (row[(int)stage] / sum * area.Height);
                fill.Color = StagePalette.Color(stage);
                canvas.DrawRect(new SKRect(layout.EpochLeft(epoch), top, layout.EpochLeft(epoch + 1), bottom), fill);
                top = bottom;
            }
        }
    }

    public static void DrawLegend(SKCanvas canvas, Labels labels, PixelRectangle area)
    {
        using var fill = new SKPaint { Style = SKPaintStyle.Fill };
        float x = area.Right;
        for (int i = StagePalette.DisplayOrder.Count - 1; i >= 0; i--)
        {
            SleepStage stage = StagePalette.DisplayOrder[i];
            x -= 34f;
            labels.Left(stage.ToString(), x + 14f, area.Top - 8f);
            fill.Color = StagePalette.Color(stage);
            canvas.DrawRect(new SKRect(x, area.Top - 18f, x + 10f, area.Top - 8f), fill);
        }
    }
}
