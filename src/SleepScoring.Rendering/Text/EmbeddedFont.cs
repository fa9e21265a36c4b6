using SkiaSharp;

namespace SleepScoring.Rendering.Text;

/// <summary>
/// The typeface for every label: DejaVu Sans, embedded in this assembly (licence in
/// Fonts/LICENSE-DejaVu.txt). SkiaSharp's NoDependencies native asset has no font manager, so
/// text would draw nothing without a typeface loaded from a stream; embedding it also makes the
/// labels look the same on every machine.
/// </summary>
internal static class EmbeddedFont
{
    private static readonly Lazy<SKTypeface> Instance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared typeface (immutable; safe to use from several renderers).</summary>
    public static SKTypeface Typeface => Instance.Value;

    private static SKTypeface Load()
    {
        using Stream stream = FontFiles.OpenDejaVuSans();
        return SKTypeface.FromStream(stream)
            ?? throw new InvalidOperationException("SkiaSharp could not read the embedded font DejaVu Sans.");
    }
}
