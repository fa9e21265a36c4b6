using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// The one place the trainer and the inference pipeline get their model-image renderer from, so
/// that both draw the same pixels for the same (layout, mode, anti-aliasing) choice.
/// </summary>
public static class ModelImageRenderers
{
    /// <summary>
    /// A renderer for <paramref name="derivationCount"/> derivations in <paramref name="layout"/>.
    /// Envelope images come from <see cref="EnvelopeRasterizer"/>, which lights exactly the pixels
    /// of the SkiaSharp envelope (a test checks it) many times faster; anti-aliased polylines from
    /// <see cref="AntialiasedPolylineRasterizer"/> (direct, Wu's method), aliased polylines from
    /// SkiaSharp (<see cref="EpochImageRenderer"/>). Not thread-safe: one renderer per thread.
    /// Dispose it when done.
    /// </summary>
    public static IEpochImageRenderer Create(EpochImageLayout layout, int derivationCount, TraceDrawingMode mode, bool antialias = false, int samplesPerEpoch = ConditionedEpoch.Samples)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var geometry = layout.CreateGeometry(derivationCount, samplesPerEpoch);
        return mode switch
        {
            TraceDrawingMode.Envelope => new EnvelopeRasterizer(geometry),
            TraceDrawingMode.Polyline when antialias => new AntialiasedPolylineRasterizer(geometry),
            TraceDrawingMode.Polyline => new EpochImageRenderer(geometry, mode, antialias: false),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown drawing mode."),
        };
    }
}
