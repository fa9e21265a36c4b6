using SkiaSharp;

namespace SleepScoring.Rendering;

/// <summary>PNG encoding of a rendered bitmap.</summary>
internal static class PngOutput
{
    /// <summary>Writes <paramref name="bitmap"/> to <paramref name="destination"/> as PNG.</summary>
    public static void Write(SKBitmap bitmap, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!bitmap.Encode(destination, SKEncodedImageFormat.Png, 100))
        {
            throw new InvalidOperationException("SkiaSharp failed to encode the image as PNG.");
        }
    }

    /// <summary>The bitmap as PNG bytes.</summary>
    public static byte[] ToArray(SKBitmap bitmap)
    {
        using var stream = new MemoryStream();
        Write(bitmap, stream);
        return stream.ToArray();
    }
}
