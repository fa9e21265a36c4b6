namespace SleepScoring.Rendering.Geometry;

/// <summary>An axis-aligned rectangle in image pixel coordinates; right and bottom edges are exclusive.</summary>
public readonly record struct PixelRectangle(float Left, float Top, float Right, float Bottom)
{
    /// <summary>Width in pixels.</summary>
    public float Width => Right - Left;

    /// <summary>Height in pixels.</summary>
    public float Height => Bottom - Top;

    /// <summary>True when (x, y) lies inside (left/top inclusive, right/bottom exclusive).</summary>
    public bool Contains(float x, float y) => x >= Left && x < Right && y >= Top && y < Bottom;
}
