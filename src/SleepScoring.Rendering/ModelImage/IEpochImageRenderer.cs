using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// Renders one conditioned epoch into the model's uint8 grayscale image: row-major, one byte per
/// pixel, <see cref="EpochGeometry.PlotHeight"/> rows × <see cref="EpochGeometry.PlotWidth"/>
/// columns, black (0) background and a white (255) trace (anti-aliased edges in between).
/// Implementations keep scratch state and are not thread-safe: use one instance per thread, and
/// dispose it when done (SkiaSharp renderers hold native objects).
/// </summary>
public interface IEpochImageRenderer : IDisposable
{
    /// <summary>The image geometry (strips, size, amplitude scale).</summary>
    EpochGeometry Geometry { get; }

    /// <summary>Bytes of one image: PlotWidth × PlotHeight.</summary>
    int ImageByteCount { get; }

    /// <summary>
    /// Renders <paramref name="epoch"/> — the derivations' samples in µV, derivation after
    /// derivation (DerivationCount × SamplesPerEpoch values) — into <paramref name="destination"/>
    /// (at least <see cref="ImageByteCount"/> bytes). Same input, same bytes.
    /// </summary>
    void Render(ReadOnlySpan<float> epoch, Span<byte> destination);
}
