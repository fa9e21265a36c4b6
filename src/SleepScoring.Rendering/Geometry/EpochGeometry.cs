using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Rendering.Geometry;

/// <summary>
/// Where one 30-s epoch's derivations lie on an image, shared by the model image and the
/// clinician image so that a pixel means the same (derivation, seconds, µV) in both.
/// </summary>
/// <remarks>
/// <para>The plot area starts at (<see cref="Left"/>, <see cref="Top"/>) and holds one horizontal
/// strip of <see cref="StripHeight"/> rows per derivation, top to bottom in derivation order.</para>
/// <para>Time: the epoch's <see cref="EpochSeconds"/> span the <see cref="PlotWidth"/> columns
/// linearly, x = Left + t / EpochSeconds · PlotWidth, so t = 15 s of a 30-s epoch is the middle of
/// the plot. Sample i of <see cref="SamplesPerEpoch"/> belongs to column ⌊i · PlotWidth / SamplesPerEpoch⌋.</para>
/// <para>Amplitude: fixed scale, clinical EEG polarity (negative up). The strip's centre line is
/// 0 µV; ±<see cref="MicrovoltsPerHalfStrip"/> reach the centres of the strip's bottom and top rows:
/// y = stripTop + StripHeight/2 + µV / MicrovoltsPerHalfStrip · (StripHeight − 1)/2.
/// Larger amplitudes are clipped to the strip's edge rows, so a derivation never draws into its
/// neighbour. With the default 100 µV, N3 slow waves (&gt; 75 µV peak-to-peak) fill most of the
/// strip while alpha and spindles (10–50 µV) stay visible.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class EpochGeometry
{
    /// <summary>Creates a geometry; every size must be positive.</summary>
    /// <param name="derivationCount">Number of strips (one per derivation).</param>
    /// <param name="plotWidth">Width of the plot area in pixels (columns covering the epoch).</param>
    /// <param name="stripHeight">Height of each derivation's strip in pixels (at least 2).</param>
    /// <param name="microvoltsPerHalfStrip">Amplitude drawn at the strip's top/bottom row centre.</param>
    /// <param name="samplesPerEpoch">Samples of one derivation in one epoch (<see cref="ConditionedEpoch.Samples"/> by default).</param>
    /// <param name="epochSeconds">Duration of the epoch in seconds.</param>
    /// <param name="left">x of the plot area's left edge within the image.</param>
    /// <param name="top">y of the plot area's top edge within the image.</param>
    public EpochGeometry(
        int derivationCount,
        int plotWidth,
        int stripHeight,
        float microvoltsPerHalfStrip = 100f,
        int samplesPerEpoch = ConditionedEpoch.Samples,
        double epochSeconds = ConditionedEpoch.Length,
        int left = 0,
        int top = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(derivationCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(plotWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stripHeight, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(left);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        if (!(microvoltsPerHalfStrip > 0f) || !float.IsFinite(microvoltsPerHalfStrip))
        {
            throw new ArgumentOutOfRangeException(nameof(microvoltsPerHalfStrip), microvoltsPerHalfStrip, "The amplitude scale must be a positive finite number of µV.");
        }

        if (!(epochSeconds > 0.0) || !double.IsFinite(epochSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(epochSeconds), epochSeconds, "The epoch duration must be a positive finite number of seconds.");
        }

        DerivationCount = derivationCount;
        PlotWidth = plotWidth;
        StripHeight = stripHeight;
        MicrovoltsPerHalfStrip = microvoltsPerHalfStrip;
        SamplesPerEpoch = samplesPerEpoch;
        EpochSeconds = epochSeconds;
        Left = left;
        Top = top;
        pixelsPerMicrovolt = (stripHeight - 1) / 2f / microvoltsPerHalfStrip;
    }

    private readonly float pixelsPerMicrovolt;

    /// <summary>Number of derivation strips.</summary>
    public int DerivationCount { get; }

    /// <summary>Width of the plot area in pixels.</summary>
    public int PlotWidth { get; }

    /// <summary>Height of one derivation's strip in pixels.</summary>
    public int StripHeight { get; }

    /// <summary>Height of the plot area: one strip per derivation.</summary>
    public int PlotHeight => DerivationCount * StripHeight;

    /// <summary>Amplitude (µV) that reaches the centre of a strip's top or bottom row; larger is clipped.</summary>
    public float MicrovoltsPerHalfStrip { get; }

    /// <summary>Samples of one derivation in one epoch.</summary>
    public int SamplesPerEpoch { get; }

    /// <summary>Epoch duration in seconds.</summary>
    public double EpochSeconds { get; }

    /// <summary>x of the plot area's left edge.</summary>
    public int Left { get; }

    /// <summary>y of the plot area's top edge.</summary>
    public int Top { get; }

    /// <summary>The plot area's rectangle.</summary>
    public PixelRectangle PlotArea => new(Left, Top, Left + PlotWidth, Top + PlotHeight);

    /// <summary>Pixels per µV of amplitude (same for every strip).</summary>
    public float PixelsPerMicrovolt => pixelsPerMicrovolt;

    /// <summary>x (continuous pixel coordinate) of time <paramref name="seconds"/> from the epoch's onset.</summary>
    public float TimeToX(double seconds) => (float)(Left + (seconds / EpochSeconds * PlotWidth));

    /// <summary>x of sample <paramref name="sampleIndex"/>'s centre (samples are spread evenly over the plot).</summary>
    public float SampleToX(int sampleIndex) => Left + ((sampleIndex + 0.5f) * PlotWidth / SamplesPerEpoch);

    /// <summary>The plot column (0-based, relative to <see cref="Left"/>) that sample <paramref name="sampleIndex"/> falls in.</summary>
    public int ColumnOfSample(int sampleIndex) => (int)((long)sampleIndex * PlotWidth / SamplesPerEpoch);

    /// <summary>y of the top edge of derivation <paramref name="derivation"/>'s strip.</summary>
    public int StripTop(int derivation)
    {
        CheckDerivation(derivation);
        return Top + (derivation * StripHeight);
    }

    /// <summary>y of the strip's 0-µV line (its middle).</summary>
    public float StripCentreY(int derivation) => StripTop(derivation) + (StripHeight / 2f);

    /// <summary>
    /// y (continuous) of amplitude <paramref name="microvolts"/> in the strip, clipped to the
    /// centres of the strip's edge rows; NaN is drawn as 0 µV.
    /// </summary>
    public float MicrovoltsToY(int derivation, float microvolts)
    {
        float clipped = float.IsNaN(microvolts) ? 0f : Math.Clamp(microvolts, -MicrovoltsPerHalfStrip, MicrovoltsPerHalfStrip);
        return StripCentreY(derivation) + (clipped * pixelsPerMicrovolt);
    }

    /// <summary>The image row (integer y) holding amplitude <paramref name="microvolts"/>: ⌊<see cref="MicrovoltsToY"/>⌋, always inside the strip.</summary>
    public int MicrovoltsToRow(int derivation, float microvolts)
    {
        int row = (int)MathF.Floor(MicrovoltsToY(derivation, microvolts));
        int stripTop = StripTop(derivation);
        return Math.Clamp(row, stripTop, stripTop + StripHeight - 1);
    }

    /// <summary>
    /// Maps a point of the image back to the epoch: which derivation's strip, how many seconds
    /// from the onset, and the amplitude (µV, unclipped scale) that y stands for. Pixel (px, py)
    /// is addressed by its centre (px + 0.5, py + 0.5). False outside the plot area.
    /// </summary>
    public bool TryMapPoint(float x, float y, out EpochPoint point)
    {
        point = default;
        if (!(x >= Left && x < Left + PlotWidth && y >= Top && y < Top + PlotHeight))
        {
            return false;
        }

        int derivation = Math.Min((int)((y - Top) / StripHeight), DerivationCount - 1);
        double seconds = ((double)x - Left) / PlotWidth * EpochSeconds;
        float microvolts = (y - StripCentreY(derivation)) / pixelsPerMicrovolt;
        point = new EpochPoint(derivation, seconds, microvolts);
        return true;
    }

    /// <summary>Maps pixel (<paramref name="column"/>, <paramref name="row"/>) by its centre; see <see cref="TryMapPoint"/>.</summary>
    public bool TryMapPixel(int column, int row, out EpochPoint point) => TryMapPoint(column + 0.5f, row + 0.5f, out point);

    /// <summary>
    /// The rectangle of saliency cell (<paramref name="derivation"/>, <paramref name="segment"/>)
    /// when the epoch is split into <paramref name="segmentCount"/> equal time segments.
    /// </summary>
    public PixelRectangle SaliencyCell(int derivation, int segment, int segmentCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(segment);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(segment, segmentCount);
        double segmentSeconds = EpochSeconds / segmentCount;
        int stripTop = StripTop(derivation);
        return new PixelRectangle(TimeToX(segment * segmentSeconds), stripTop, TimeToX((segment + 1) * segmentSeconds), stripTop + StripHeight);
    }

    /// <summary>The saliency cell (derivation, segment) holding point (x, y), or false outside the plot area.</summary>
    public bool TryFindSaliencyCell(float x, float y, int segmentCount, out int derivation, out int segment)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentCount, 1);
        derivation = segment = -1;
        if (!TryMapPoint(x, y, out EpochPoint point))
        {
            return false;
        }

        derivation = point.Derivation;
        segment = Math.Min((int)(point.Seconds / EpochSeconds * segmentCount), segmentCount - 1);
        return true;
    }

    private void CheckDerivation(int derivation)
    {
        if ((uint)derivation >= (uint)DerivationCount)
        {
            throw new ArgumentOutOfRangeException(nameof(derivation), derivation, $"The geometry has {DerivationCount} derivation strip(s).");
        }
    }
}
