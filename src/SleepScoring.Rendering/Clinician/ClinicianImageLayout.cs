using SleepScoring.Analysis.Conditioning;
using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.Clinician;

/// <summary>
/// Size of the clinician's epoch image: a plot of <see cref="PlotWidth"/> × (derivations ×
/// <see cref="StripHeight"/>) pixels inside margins for the channel labels (left), the caption
/// (top), the time labels (bottom) and the µV scale bar (right).
/// </summary>
/// <param name="PlotWidth">Plot width in pixels (1500 over 30 s = 50 px per second).</param>
/// <param name="StripHeight">Rows per derivation strip.</param>
/// <param name="MicrovoltsPerHalfStrip">Amplitude at a strip's edge rows; the model images use the same scale by default.</param>
/// <param name="LeftMargin">Pixels left of the plot (channel labels).</param>
/// <param name="TopMargin">Pixels above the plot (caption).</param>
/// <param name="RightMargin">Pixels right of the plot (scale bar).</param>
/// <param name="BottomMargin">Pixels below the plot (time labels).</param>
public sealed record ClinicianImageLayout(
    int PlotWidth = 1500,
    int StripHeight = 150,
    float MicrovoltsPerHalfStrip = 100f,
    int LeftMargin = 110,
    int TopMargin = 40,
    int RightMargin = 100,
    int BottomMargin = 34)
{
    /// <summary>The default layout: 1500 × (N × 150) plot.</summary>
    public static ClinicianImageLayout Default { get; } = new();

    /// <summary>The geometry of an image with one strip per derivation, offset by the margins.</summary>
    public EpochGeometry CreateGeometry(int derivationCount, int samplesPerEpoch = ConditionedEpoch.Samples, double epochSeconds = ConditionedEpoch.Length) =>
        new(derivationCount, PlotWidth, StripHeight, MicrovoltsPerHalfStrip, samplesPerEpoch, epochSeconds, LeftMargin, TopMargin);

    /// <summary>Whole image width: margins plus plot.</summary>
    public int ImageWidth => LeftMargin + PlotWidth + RightMargin;

    /// <summary>Whole image height for <paramref name="derivationCount"/> strips.</summary>
    public int ImageHeight(int derivationCount) => TopMargin + (derivationCount * StripHeight) + BottomMargin;
}
