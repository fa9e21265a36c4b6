using System.Globalization;

using SkiaSharp;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.Text;

namespace SleepScoring.Rendering.Clinician;

/// <summary>
/// Draws the epoch a clinician reviews: white background, one labelled strip per derivation, a 1-s
/// time grid with 5-s major lines, a µV scale bar, a caption (epoch index, onset, stage) and, when
/// given, a saliency heat map (transparent → red) under the traces. Pixels map back to
/// (derivation, seconds) through <see cref="Geometry"/>, the same <see cref="EpochGeometry"/> code as
/// the model image. The bitmap, canvas, paints and path are reused: not thread-safe, one instance
/// per thread; dispose it to free the native objects.
/// </summary>
public sealed class ClinicianImageRenderer : IDisposable
{
    /// <summary>Opacity of a cell with relevance 1 (0.6 keeps the trace readable through it).</summary>
    private const float MaxOverlayAlpha = 0.6f;

    private static readonly SKColor OverlayColor = new(0xE0, 0x1B, 0x1B);

    private readonly IReadOnlyList<string> derivationLabels;
    private readonly SKBitmap bitmap;
    private readonly SKCanvas canvas;
    private readonly SKPath path = new();
    private readonly SKPoint[] points;
    private readonly SKPaint fill = new() { IsAntialias = false, Style = SKPaintStyle.Fill };
    private readonly SKPaint minorGrid = new() { Color = new SKColor(0xE4, 0xE4, 0xE4), StrokeWidth = 1f, Style = SKPaintStyle.Stroke };
    private readonly SKPaint majorGrid = new() { Color = new SKColor(0xA8, 0xA8, 0xA8), StrokeWidth = 1f, Style = SKPaintStyle.Stroke };
    private readonly SKPaint frame = new() { Color = new SKColor(0x50, 0x50, 0x50), StrokeWidth = 1f, Style = SKPaintStyle.Stroke };
    private readonly SKPaint trace = new() { Color = new SKColor(0x10, 0x18, 0x30), StrokeWidth = 1f, Style = SKPaintStyle.Stroke, IsAntialias = true };
    private readonly SKPaint text = new() { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true };
    private readonly SKFont labelFont = new(EmbeddedFont.Typeface, 13f) { Edging = SKFontEdging.Antialias };
    private readonly SKFont captionFont = new(EmbeddedFont.Typeface, 16f) { Edging = SKFontEdging.Antialias };

    /// <summary>Creates a renderer for derivations named <paramref name="derivationLabels"/> (e.g. "Fpz-Cz", "Pz-Oz").</summary>
    /// <param name="derivationLabels">One label per derivation, in strip order.</param>
    /// <param name="layout">Image layout; <see cref="ClinicianImageLayout.Default"/> when null.</param>
    /// <param name="samplesPerEpoch">Samples of one derivation per epoch (<see cref="ConditionedEpoch.Samples"/> by default).</param>
    /// <param name="epochSeconds">Epoch duration in seconds.</param>
    public ClinicianImageRenderer(IReadOnlyList<string> derivationLabels, ClinicianImageLayout? layout = null, int samplesPerEpoch = ConditionedEpoch.Samples, double epochSeconds = ConditionedEpoch.Length)
    {
        ArgumentNullException.ThrowIfNull(derivationLabels);
        if (derivationLabels.Any(label => label is null))
        {
            throw new ArgumentException("Every derivation needs a label; one is null.", nameof(derivationLabels));
        }
        Layout = layout ?? ClinicianImageLayout.Default;
        Geometry = Layout.CreateGeometry(derivationLabels.Count, samplesPerEpoch, epochSeconds);
        this.derivationLabels = [.. derivationLabels];
        bitmap = new SKBitmap(new SKImageInfo(Layout.ImageWidth, Layout.ImageHeight(derivationLabels.Count), SKColorType.Rgba8888, SKAlphaType.Opaque));
        canvas = new SKCanvas(bitmap);
        points = new SKPoint[samplesPerEpoch];
    }

    /// <summary>The layout (margins and plot size).</summary>
    public ClinicianImageLayout Layout { get; }

    /// <summary>Where the plot, strips and saliency cells are; maps pixels back to (derivation, seconds).</summary>
    public EpochGeometry Geometry { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width => bitmap.Width;

    /// <summary>Image height in pixels.</summary>
    public int Height => bitmap.Height;

    /// <summary>
    /// Renders the epoch and returns its RGBA pixels (premultiplied, row-major, 4 bytes per pixel);
    /// the span stays valid until the next call on this instance.
    /// </summary>
    /// <param name="epoch">Samples in µV, derivation after derivation (DerivationCount × SamplesPerEpoch).</param>
    /// <param name="caption">Epoch index, onset clock time and stage for the caption.</param>
    /// <param name="relevance">Optional saliency [derivation, time segment] in [0, 1]; segments split the epoch evenly.</param>
    public ReadOnlySpan<byte> RenderPixels(ReadOnlySpan<float> epoch, EpochCaption caption, float[,]? relevance = null)
    {
        Draw(epoch, caption, relevance);
        return bitmap.GetPixelSpan();
    }

    /// <summary>Renders the epoch and writes it to <paramref name="destination"/> as PNG; see <see cref="RenderPixels"/>.</summary>
    public void RenderPng(ReadOnlySpan<float> epoch, EpochCaption caption, float[,]? relevance, Stream destination)
    {
        Draw(epoch, caption, relevance);
        PngOutput.Write(bitmap, destination);
    }

    /// <summary>Renders the epoch as PNG bytes; see <see cref="RenderPixels"/>.</summary>
    public byte[] RenderPng(ReadOnlySpan<float> epoch, EpochCaption caption, float[,]? relevance = null)
    {
        Draw(epoch, caption, relevance);
        return PngOutput.ToArray(bitmap);
    }

    /// <summary>Frees the native objects.</summary>
    public void Dispose()
    {
        foreach (IDisposable native in new IDisposable[] { labelFont, captionFont, text, trace, frame, majorGrid, minorGrid, fill, path, canvas, bitmap })
        {
            native.Dispose();
        }
    }

    private void Draw(ReadOnlySpan<float> epoch, EpochCaption caption, float[,]? relevance)
    {
        ArgumentNullException.ThrowIfNull(caption);
        EpochInput.CheckEpoch(Geometry, epoch);

        if (relevance is not null)
        {
            SaliencyGrid.CheckShape(relevance, Geometry);
        }

        canvas.Clear(SKColors.White);
        if (relevance is not null)
        {
            DrawOverlay(relevance);
        }

        DrawGrid();
        DrawTraces(epoch);
        DrawLabels(caption, relevance is not null);
        DrawScaleBar();
        canvas.Flush();
    }

    private void DrawOverlay(float[,] relevance)
    {
        int segments = relevance.GetLength(1);
        for (int derivation = 0; derivation < Geometry.DerivationCount; derivation++)
        {
            for (int segment = 0; segment < segments; segment++)
            {
                float value = SaliencyGrid.Read(relevance, derivation, segment);
                if (value <= 0f)
                {
                    continue;
                }

                // Not anti-aliased: cells snap to whole pixels, so neighbours neither overlap nor leave seams.
                fill.Color = OverlayColor.WithAlpha((byte)MathF.Round(value * MaxOverlayAlpha * 255f));
                PixelRectangle cell = Geometry.SaliencyCell(derivation, segment, segments);
                canvas.DrawRect(new SKRect(cell.Left, cell.Top, cell.Right, cell.Bottom), fill);
            }
        }
    }

    private void DrawGrid()
    {
        PixelRectangle plot = Geometry.PlotArea;
        int seconds = (int)Math.Floor(Geometry.EpochSeconds);
        for (int s = 1; s < Geometry.EpochSeconds; s++)
        {
            // Lines on pixel centres (+0.5) so a 1-px line covers exactly one column.
            float x = MathF.Floor(Geometry.TimeToX(s)) + 0.5f;
            canvas.DrawLine(x, plot.Top, x, plot.Bottom, s % 5 == 0 ? majorGrid : minorGrid);
        }

        for (int derivation = 0; derivation < Geometry.DerivationCount; derivation++)
        {
            float baseline = MathF.Floor(Geometry.StripCentreY(derivation)) + 0.5f;
            canvas.DrawLine(plot.Left, baseline, plot.Right, baseline, minorGrid);
            float top = Geometry.StripTop(derivation) + 0.5f;
            canvas.DrawLine(plot.Left, top, plot.Right, top, frame);
        }

        canvas.DrawRect(new SKRect(plot.Left + 0.5f, plot.Top + 0.5f, plot.Right - 0.5f, plot.Bottom - 0.5f), frame);
        for (int s = 0; s <= seconds; s += 5)
        {
            string label = s == 0 ? "0 s" : s.ToString(CultureInfo.InvariantCulture);
            canvas.DrawText(label, Geometry.TimeToX(s), plot.Bottom + 18f, SKTextAlign.Center, labelFont, text);
        }
    }

    private void DrawTraces(ReadOnlySpan<float> epoch)
    {
        int samples = Geometry.SamplesPerEpoch;
        for (int derivation = 0; derivation < Geometry.DerivationCount; derivation++)
        {
            ReadOnlySpan<float> values = epoch.Slice(derivation * samples, samples);
            for (int i = 0; i < samples; i++)
            {
                points[i] = new SKPoint(Geometry.SampleToX(i), Geometry.MicrovoltsToY(derivation, values[i]));
            }

            path.Rewind();
            path.AddPoly(points, close: false);
            canvas.DrawPath(path, trace);
        }
    }

    private void DrawLabels(EpochCaption caption, bool withOverlay)
    {
        for (int derivation = 0; derivation < Geometry.DerivationCount; derivation++)
        {
            canvas.DrawText(derivationLabels[derivation], Layout.LeftMargin - 10f, Geometry.StripCentreY(derivation) + 5f, SKTextAlign.Right, labelFont, text);
        }

        string stage = caption.Stage?.ToString() ?? "not staged";
        string title = string.Create(
            CultureInfo.InvariantCulture,
            $"Epoch {caption.EpochIndex} · onset {caption.Onset:HH:mm:ss} · stage {stage}");
        canvas.DrawText(title, Layout.LeftMargin, Layout.TopMargin - 14f, SKTextAlign.Left, captionFont, text);
        string note = withOverlay ? "red: model relevance · grid 1 s (major 5 s)" : "grid 1 s (major 5 s)";
        canvas.DrawText(note, Geometry.PlotArea.Right, Layout.TopMargin - 14f, SKTextAlign.Right, labelFont, text);
    }

    private void DrawScaleBar()
    {
        // A bar of MicrovoltsPerHalfStrip µV beside the first strip, centred on its baseline.
        float half = Geometry.MicrovoltsPerHalfStrip * Geometry.PixelsPerMicrovolt / 2f;
        float centre = Geometry.StripCentreY(0);
        float x = Geometry.PlotArea.Right + 16.5f;
        canvas.DrawLine(x, centre - half, x, centre + half, frame);
        canvas.DrawLine(x - 4f, centre - half, x + 4f, centre - half, frame);
        canvas.DrawLine(x - 4f, centre + half, x + 4f, centre + half, frame);
        string label = string.Create(CultureInfo.InvariantCulture, $"{Geometry.MicrovoltsPerHalfStrip:0.#} µV");
        canvas.DrawText(label, x + 8f, centre + 5f, SKTextAlign.Left, labelFont, text);
        canvas.DrawText("neg. up", x + 8f, centre + 21f, SKTextAlign.Left, labelFont, text);
    }
}
