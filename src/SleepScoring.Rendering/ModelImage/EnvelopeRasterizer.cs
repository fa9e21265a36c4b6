using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// Draws the min/max envelope straight into the byte buffer, without SkiaSharp: the same
/// <see cref="ColumnEnvelope"/> rows, written as vertical runs of 255. It lights exactly the pixels
/// that <see cref="EpochImageRenderer"/> lights in <see cref="TraceDrawingMode.Envelope"/> mode,
/// without the native call overhead. Not thread-safe (scratch arrays per instance).
/// </summary>
public sealed class EnvelopeRasterizer : IEpochImageRenderer
{
    private readonly int[] firstRow;
    private readonly int[] lastRow;

    /// <summary>Creates a rasteriser for <paramref name="geometry"/> (its Left and Top must be 0: the image is the plot).</summary>
    public EnvelopeRasterizer(EpochGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Left != 0 || geometry.Top != 0)
        {
            throw new ArgumentException("A model image has no margins: the geometry's Left and Top must be 0.", nameof(geometry));
        }

        Geometry = geometry;
        firstRow = new int[geometry.PlotWidth];
        lastRow = new int[geometry.PlotWidth];
    }

    /// <inheritdoc/>
    public EpochGeometry Geometry { get; }

    /// <inheritdoc/>
    public int ImageByteCount => Geometry.PlotWidth * Geometry.PlotHeight;

    /// <inheritdoc/>
    public void Render(ReadOnlySpan<float> epoch, Span<byte> destination)
    {
        EpochInput.Check(Geometry, epoch, destination);
        int width = Geometry.PlotWidth;
        int samples = Geometry.SamplesPerEpoch;
        Span<byte> image = destination[..ImageByteCount];
        image.Clear();
        for (int derivation = 0; derivation < Geometry.DerivationCount; derivation++)
        {
            ColumnEnvelope.Compute(Geometry, derivation, epoch.Slice(derivation * samples, samples), firstRow, lastRow);
            for (int column = 0; column < width; column++)
            {
                int offset = (firstRow[column] * width) + column;
                for (int row = firstRow[column]; row <= lastRow[column]; row++, offset += width)
                {
                    image[offset] = byte.MaxValue;
                }
            }
        }
    }

    /// <summary>Nothing to free: the rasteriser holds only managed arrays.</summary>
    public void Dispose()
    {
    }
}
