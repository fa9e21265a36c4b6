using SkiaSharp;

using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// Renders the model image with SkiaSharp into an Alpha8 bitmap (coverage 0 = black background,
/// 255 = trace) and copies it to the caller's buffer. The bitmap, canvas, paint and path are
/// created once per instance and reused, so rendering allocates nothing per epoch. Not
/// thread-safe: use one instance per thread. Dispose to free the native objects.
/// </summary>
public sealed class EpochImageRenderer : IEpochImageRenderer
{
    private readonly SKBitmap bitmap;
    private readonly SKCanvas canvas;
    private readonly SKPaint paint;
    private readonly SKPath path = new();
    private readonly int[] firstRow;
    private readonly int[] lastRow;
    private readonly SKPoint[] points;

    /// <summary>Creates a renderer.</summary>
    /// <param name="geometry">Image geometry; Left and Top must be 0 (the image is the plot).</param>
    /// <param name="mode">Envelope (vertical run per column) or polyline.</param>
    /// <param name="antialias">Anti-alias the polyline (the envelope is made of whole pixels either way).</param>
    public EpochImageRenderer(EpochGeometry geometry, TraceDrawingMode mode, bool antialias = false)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Left != 0 || geometry.Top != 0)
        {
            throw new ArgumentException("A model image has no margins: the geometry's Left and Top must be 0.", nameof(geometry));
        }

        Geometry = geometry;
        Mode = mode;
        Antialias = antialias;
        bitmap = new SKBitmap(new SKImageInfo(geometry.PlotWidth, geometry.PlotHeight, SKColorType.Alpha8, SKAlphaType.Premul));
        canvas = new SKCanvas(bitmap);
        paint = new SKPaint
        {
            Color = SKColors.White,
            IsAntialias = antialias && mode == TraceDrawingMode.Polyline,
            Style = mode == TraceDrawingMode.Envelope ? SKPaintStyle.Fill : SKPaintStyle.Stroke,
            StrokeWidth = 0f, // hairline: exactly one pixel wide at any scale
        };
        firstRow = new int[geometry.PlotWidth];
        lastRow = new int[geometry.PlotWidth];

        // One polygon per derivation, handed to Skia in one call: the envelope's outline has four
        // corners per column, the polyline one point per sample.
        points = new SKPoint[Math.Max(4 * geometry.PlotWidth, geometry.SamplesPerEpoch)];
    }

    /// <inheritdoc/>
    public EpochGeometry Geometry { get; }

    /// <summary>The drawing mode.</summary>
    public TraceDrawingMode Mode { get; }

    /// <summary>Whether the polyline is anti-aliased.</summary>
    public bool Antialias { get; }

    /// <inheritdoc/>
    public int ImageByteCount => Geometry.PlotWidth * Geometry.PlotHeight;

    /// <inheritdoc/>
    public void Render(ReadOnlySpan<float> epoch, Span<byte> destination)
    {
        EpochInput.Check(Geometry, epoch, destination);
        canvas.Clear(SKColors.Transparent);
        int samples = Geometry.SamplesPerEpoch;
        for (int derivation = 0; derivation < Geometry.DerivationCount; derivation++)
        {
            ReadOnlySpan<float> trace = epoch.Slice(derivation * samples, samples);
            path.Rewind();
            if (Mode == TraceDrawingMode.Envelope)
            {
                AddEnvelope(derivation, trace);
            }
            else
            {
                AddPolyline(derivation, trace);
            }

            canvas.DrawPath(path, paint);
        }

        canvas.Flush();
        CopyPixels(destination);
    }

    /// <summary>Frees the native bitmap, canvas, paint and path.</summary>
    public void Dispose()
    {
        path.Dispose();
        paint.Dispose();
        canvas.Dispose();
        bitmap.Dispose();
    }

    private void AddEnvelope(int derivation, ReadOnlySpan<float> trace)
    {
        ColumnEnvelope.Compute(Geometry, derivation, trace, firstRow, lastRow);

        // The outline of the columns' row runs: along the top edges left to right, then along the
        // bottom edges back. Neighbouring runs always share a row (each run includes the previous
        // column's last sample), so the outline is a simple polygon and, being made of whole
        // pixels, it fills exactly the pixels EnvelopeRasterizer lights.
        int width = firstRow.Length;
        Span<SKPoint> outline = points.AsSpan(0, 4 * width);
        for (int column = 0; column < width; column++)
        {
            outline[2 * column] = new SKPoint(column, firstRow[column]);
            outline[(2 * column) + 1] = new SKPoint(column + 1, firstRow[column]);
            int back = (4 * width) - 1 - (2 * column);
            outline[back] = new SKPoint(column, lastRow[column] + 1);
            outline[back - 1] = new SKPoint(column + 1, lastRow[column] + 1);
        }

        path.AddPoly(outline, close: true);
    }

    private void AddPolyline(int derivation, ReadOnlySpan<float> trace)
    {
        Span<SKPoint> line = points.AsSpan(0, trace.Length);
        for (int i = 0; i < trace.Length; i++)
        {
            line[i] = new SKPoint(Geometry.SampleToX(i), Geometry.MicrovoltsToY(derivation, trace[i]));
        }

        path.AddPoly(line, close: false);
    }

    private void CopyPixels(Span<byte> destination)
    {
        ReadOnlySpan<byte> pixels = bitmap.GetPixelSpan();
        int width = Geometry.PlotWidth;
        int rowBytes = bitmap.RowBytes;
        if (rowBytes == width)
        {
            pixels[..ImageByteCount].CopyTo(destination);
            return;
        }

        for (int row = 0; row < Geometry.PlotHeight; row++)
        {
            pixels.Slice(row * rowBytes, width).CopyTo(destination.Slice(row * width, width));
        }
    }
}
