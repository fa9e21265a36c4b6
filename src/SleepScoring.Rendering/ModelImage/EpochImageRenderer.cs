using SkiaSharp;

using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// Renders the model image with SkiaSharp into an Alpha8 bitmap (coverage 0 = black background,
/// 255 = trace) and copies it to the caller's buffer. The bitmap, canvas, paint and path are
/// created once per instance and reused, so rendering allocates nothing per epoch. Not
/// thread-safe: use one instance per thread. Dispose to free the native objects.
/// </summary>
public sealed class EpochImageRenderer : IEpochImageRenderer, IDisposable
{
    private readonly SKBitmap bitmap;
    private readonly SKCanvas canvas;
    private readonly SKPaint paint;
    private readonly SKPath path = new();
    private readonly int[] firstRow;
    private readonly int[] lastRow;

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
        EpochImageInput.Check(Geometry, epoch, destination);
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
        for (int column = 0; column < firstRow.Length; column++)
        {
            // Whole-pixel rectangles: the same pixels as EnvelopeRasterizer, with or without AA.
            path.AddRect(new SKRect(column, firstRow[column], column + 1, lastRow[column] + 1));
        }
    }

    private void AddPolyline(int derivation, ReadOnlySpan<float> trace)
    {
        path.MoveTo(Geometry.SampleToX(0), Geometry.MicrovoltsToY(derivation, trace[0]));
        for (int i = 1; i < trace.Length; i++)
        {
            path.LineTo(Geometry.SampleToX(i), Geometry.MicrovoltsToY(derivation, trace[i]));
        }
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