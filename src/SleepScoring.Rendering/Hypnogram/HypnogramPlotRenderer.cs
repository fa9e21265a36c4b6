using System.Globalization;

using SkiaSharp;

using SleepScoring.Analysis;
using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.Text;

namespace SleepScoring.Rendering.Hypnogram;

/// <summary>
/// Draws a night's hypnogram (and optionally the scorer's corrections and the model's
/// hypnodensity) as a PNG. One plot per study, so each call allocates its own bitmap; instances
/// hold no state and are thread-safe.
/// </summary>
public sealed class HypnogramPlotRenderer
{
    /// <summary>Colour of the hypnogram line.</summary>
    public static readonly SKColor LineColor = new(0x20, 0x20, 0x20);

    /// <summary>Colour of the corrections panel's line where it differs from the first hypnogram.</summary>
    public static readonly SKColor ChangedColor = new(0xF0, 0x6A, 0x00);

    /// <summary>Most epochs one plot accepts: 30 days of 30-s epochs (a plot is one night or a few).</summary>
    public const int MaxEpochs = 86_400;

    private static readonly SKColor GuideColor = new(0xEA, 0xEA, 0xEA);

    /// <summary>Creates a renderer for plots <paramref name="width"/> pixels wide.</summary>
    public HypnogramPlotRenderer(int width = 1400)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 8000);
        Width = width;
    }

    /// <summary>Plot width in pixels.</summary>
    public int Width { get; }

    /// <summary>The layout a plot of <paramref name="input"/> gets (for mapping pixels to epochs and stages).</summary>
    public HypnogramPlotLayout LayoutFor(HypnogramPlotInput input)
    {
        Validate(input);
        return new HypnogramPlotLayout(input.Stages.Count, Width, input.Corrections is not null, input.Probabilities is not null);
    }

    /// <summary>Renders the plot as PNG bytes.</summary>
    /// <exception cref="ArgumentException">The input is inconsistent; the message names the field and the sizes.</exception>
    public byte[] RenderPng(HypnogramPlotInput input)
    {
        HypnogramPlotLayout layout = LayoutFor(input);
        using var bitmap = new SKBitmap(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var font = new SKFont(EmbeddedFont.Typeface, 13f) { Edging = SKFontEdging.Antialias })
        using (var text = new SKPaint { Color = LineColor, IsAntialias = true })
        {
            canvas.Clear(SKColors.White);
            var labels = new Labels(canvas, font, text);
            DrawPanel(canvas, labels, layout, 0, input.Title, input.Stages, null);
            if (input.Corrections is not null)
            {
                DrawPanel(canvas, labels, layout, 1, input.CorrectionsTitle, input.Corrections, input.Stages);
            }

            if (input.Probabilities is not null && layout.DensityPanel is PixelRectangle density)
            {
                HypnodensityPanel.Draw(canvas, layout, density, input.Probabilities);
                labels.Left("Hypnodensity", density.Left, density.Top - 8f);
                HypnodensityPanel.DrawLegend(canvas, labels, density);
            }

            TimeAxis.Draw(canvas, labels, layout, input.Start, input.EpochLength);
            canvas.Flush();
        }

        return PngOutput.ToArray(bitmap);
    }

    private static void DrawPanel(SKCanvas canvas, Labels labels, HypnogramPlotLayout layout, int panel, string title, IReadOnlyList<SleepStage> stages, IReadOnlyList<SleepStage>? reference)
    {
        PixelRectangle area = layout.HypnogramPanels[panel];
        labels.Left(title, area.Left, area.Top - 8f);
        using var guide = new SKPaint { Color = GuideColor, StrokeWidth = 1f };
        foreach (SleepStage stage in StagePalette.DisplayOrder)
        {
            float y = MathF.Floor(layout.StageY(panel, stage)) + 0.5f;
            canvas.DrawLine(area.Left, y, area.Right, y, guide);
            labels.Right(stage.ToString(), area.Left - 8f, y + 5f);
        }

        // Not anti-aliased: 2-px lines on whole pixels keep the stage rows crisp and testable.
        using var line = new SKPaint { Color = LineColor, StrokeWidth = 2f, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Square };
        using var changed = new SKPaint { Color = ChangedColor, StrokeWidth = 3f, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Square };
        using var changedStripe = new SKPaint { Color = ChangedColor.WithAlpha(0x48), Style = SKPaintStyle.Fill };
        for (int epoch = 0; epoch < stages.Count; epoch++)
        {
            SleepStage stage = stages[epoch];
            if (StagePalette.DisplayRow(stage) < 0)
            {
                continue; // unscored or artefact: a gap
            }

            bool differs = reference is not null && reference[epoch] != stage;
            if (differs)
            {
                // A translucent stripe at least 3 px wide, so that a single changed epoch of a long night stays visible.
                float left = layout.EpochLeft(epoch);
                canvas.DrawRect(new SKRect(left, area.Top, MathF.Max(layout.EpochLeft(epoch + 1), left + 3f), area.Bottom), changedStripe);
            }

            SKPaint paint = differs ? changed : line;
            float y = layout.StageY(panel, stage);
            canvas.DrawLine(layout.EpochLeft(epoch), y, layout.EpochLeft(epoch + 1), y, paint);
            if (epoch > 0 && StagePalette.DisplayRow(stages[epoch - 1]) >= 0 && stages[epoch - 1] != stage)
            {
                float x = layout.EpochLeft(epoch);
                canvas.DrawLine(x, layout.StageY(panel, stages[epoch - 1]), x, y, line);
            }
        }
    }

    private static void Validate(HypnogramPlotInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Stages, nameof(input.Stages));
        if (input.Stages.Count == 0)
        {
            throw new ArgumentException("The hypnogram has no epochs.", nameof(input));
        }

        if (input.Stages.Count > MaxEpochs)
        {
            throw new ArgumentException($"The hypnogram has {input.Stages.Count} epochs; at most {MaxEpochs} can be plotted.", nameof(input));
        }

        if (input.EpochLength <= TimeSpan.Zero || input.EpochLength > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"EpochLength must be more than 0 and at most 1 h (got {input.EpochLength}).", nameof(input));
        }

        if (input.Start > DateTime.MaxValue - (input.EpochLength * input.Stages.Count))
        {
            throw new ArgumentException($"Start {input.Start:O} plus the recording's duration is past the last representable date.", nameof(input));
        }

        if (input.Corrections is not null && input.Corrections.Count != input.Stages.Count)
        {
            throw new ArgumentException($"Corrections has {input.Corrections.Count} epochs; Stages has {input.Stages.Count}.", nameof(input));
        }

        if (input.Probabilities is { } probabilities)
        {
            if (probabilities.Count != input.Stages.Count)
            {
                throw new ArgumentException($"Probabilities has {probabilities.Count} epochs; Stages has {input.Stages.Count}.", nameof(input));
            }

            for (int epoch = 0; epoch < probabilities.Count; epoch++)
            {
                if (probabilities[epoch] is not { Length: HypnodensityPanel.StageCount })
                {
                    throw new ArgumentException($"Probabilities[{epoch}] must hold {HypnodensityPanel.StageCount} values (W, N1, N2, N3, R).", nameof(input));
                }
            }
        }
    }
}
