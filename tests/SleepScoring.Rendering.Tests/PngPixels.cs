using SkiaSharp;

namespace SleepScoring.Rendering.Tests;

/// <summary>Decodes a PNG with SkiaSharp's decoder (independent of the encoder's caller) for pixel checks.</summary>
internal sealed class PngPixels : IDisposable
{
    private readonly SKBitmap bitmap;

    public PngPixels(byte[] png)
    {
        Assert.True(png.Length > 8 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', "not a PNG signature");
        bitmap = SKBitmap.Decode(png) ?? throw new InvalidOperationException("PNG did not decode");
    }

    public int Width => bitmap.Width;

    public int Height => bitmap.Height;

    public SKColor this[int x, int y] => bitmap.GetPixel(x, y);

    /// <summary>True when the pixel is close to <paramref name="expected"/> (each channel within <paramref name="tolerance"/>).</summary>
    public bool IsNear(int x, int y, SKColor expected, int tolerance = 3)
    {
        SKColor actual = this[x, y];
        return Math.Abs(actual.Red - expected.Red) <= tolerance
            && Math.Abs(actual.Green - expected.Green) <= tolerance
            && Math.Abs(actual.Blue - expected.Blue) <= tolerance;
    }

    public void Dispose() => bitmap.Dispose();
}
