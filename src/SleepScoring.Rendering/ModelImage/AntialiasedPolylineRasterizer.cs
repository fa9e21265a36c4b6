using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// Draws the anti-aliased polyline straight into the byte buffer, without SkiaSharp (Wu's
/// method): through the same sample points as <see cref="EpochImageRenderer"/>'s polyline, each
/// segment lights the two pixels nearest to it at every pixel centre it crosses, in proportion
/// to closeness. Segments that run mostly across (|dx| ≥ |dy|) are sampled at column centres and
/// split between two rows; steep ones are sampled at row centres and split between two columns.
/// Overlapping segments keep the brighter value (no bright joints). Its grey levels differ a
/// little from Skia's coverage-based anti-aliasing, so train and infer with the same renderer
/// (<see cref="ModelImageRenderers.Create"/>). Not thread-safe by contract (like every
/// <see cref="IEpochImageRenderer"/>), though it holds no scratch state today.
/// </summary>
public sealed class AntialiasedPolylineRasterizer : IEpochImageRenderer
{
    /// <summary>Creates a rasteriser for <paramref name="geometry"/> (its Left and Top must be 0: the image is the plot).</summary>
    public AntialiasedPolylineRasterizer(EpochGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Left != 0 || geometry.Top != 0)
        {
            throw new ArgumentException("A model image has no margins: the geometry's Left and Top must be 0.", nameof(geometry));
        }

        Geometry = geometry;
    }

    /// <inheritdoc/>
    public EpochGeometry Geometry { get; }

    /// <inheritdoc/>
    public int ImageByteCount => Geometry.PlotWidth * Geometry.PlotHeight;

    /// <inheritdoc/>
    public void Render(ReadOnlySpan<float> epoch, Span<byte> destination)
    {
        EpochInput.Check(Geometry, epoch, destination);
        Span<byte> image = destination[..ImageByteCount];
        image.Clear();
        int samples = Geometry.SamplesPerEpoch;
        for (int derivation = 0; derivation < Geometry.DerivationCount; derivation++)
        {
            ReadOnlySpan<float> trace = epoch.Slice(derivation * samples, samples);

            // Pixel-centre coordinates: pixel (c, r) is centred on (c, r), hence the −0.5.
            float x0 = Geometry.SampleToX(0) - 0.5f;
            float y0 = Geometry.MicrovoltsToY(derivation, trace[0]) - 0.5f;
            for (int i = 1; i < samples; i++)
            {
                float x1 = Geometry.SampleToX(i) - 0.5f;
                float y1 = Geometry.MicrovoltsToY(derivation, trace[i]) - 0.5f;
                DrawSegment(image, x0, y0, x1, y1);
                (x0, y0) = (x1, y1);
            }
        }
    }

    /// <summary>Nothing to free: the rasteriser holds no native objects.</summary>
    public void Dispose()
    {
    }

    private void DrawSegment(Span<byte> image, float x0, float y0, float x1, float y1)
    {
        float dx = x1 - x0;
        float dy = y1 - y0;
        if (MathF.Abs(dx) >= MathF.Abs(dy))
        {
            if (dx == 0f)
            {
                Plot(image, (int)MathF.Round(x0), y0, alongRows: true);
                return;
            }

            // Column centres c with x0 ≤ c < x1 (half-open, so a shared endpoint is drawn once).
            float slope = dy / dx;
            (float from, float to, float yFrom) = dx > 0 ? (x0, x1, y0) : (x1, x0, y1);
            for (int c = (int)MathF.Ceiling(from); c < to; c++)
            {
                Plot(image, c, yFrom + (slope * (c - from)), alongRows: true);
            }
        }
        else
        {
            float slope = dx / dy;
            (float from, float to, float xFrom) = dy > 0 ? (y0, y1, x0) : (y1, y0, x1);
            for (int r = (int)MathF.Ceiling(from); r < to; r++)
            {
                Plot(image, r, xFrom + (slope * (r - from)), alongRows: false);
            }
        }
    }

    /// <summary>
    /// Splits one unit of intensity between the two pixels straddling <paramref name="position"/>:
    /// rows ⌊position⌋ and ⌊position⌋+1 of column <paramref name="fixedIndex"/> when
    /// <paramref name="alongRows"/>, else columns of row <paramref name="fixedIndex"/>.
    /// </summary>
    private void Plot(Span<byte> image, int fixedIndex, float position, bool alongRows)
    {
        int width = Geometry.PlotWidth;
        int height = Geometry.PlotHeight;
        int near = (int)MathF.Floor(position);
        float fraction = position - near;
        if (alongRows)
        {
            if ((uint)fixedIndex < (uint)width)
            {
                Blend(image, near, fixedIndex, 1f - fraction, width, height);
                Blend(image, near + 1, fixedIndex, fraction, width, height);
            }
        }
        else if ((uint)fixedIndex < (uint)height)
        {
            Blend(image, fixedIndex, near, 1f - fraction, width, height);
            Blend(image, fixedIndex, near + 1, fraction, width, height);
        }
    }

    private static void Blend(Span<byte> image, int row, int column, float intensity, int width, int height)
    {
        if ((uint)row >= (uint)height || (uint)column >= (uint)width || intensity <= 0f)
        {
            return;
        }

        byte value = (byte)((intensity * 255f) + 0.5f);
        ref byte pixel = ref image[(row * width) + column];
        pixel = Math.Max(pixel, value);
    }
}
