using System.Globalization;
using System.Text.Json.Serialization;

using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Model;

/// <summary>
/// The model's input image, enough to draw it again pixel for pixel: which derivations, top to
/// bottom; how each is drawn (its <see cref="Views"/>, one strip of <see cref="StripHeight"/> rows
/// each); the width, amplitude scale and drawing mode; and how the ViT cuts it into
/// (derivation × <see cref="Segments"/>) tokens, which are also the saliency grid. Training writes
/// it into <c>training.json</c> and the model card; inference builds its renderer from the card's.
/// </summary>
public sealed record ModelImageSpec
{
    /// <summary>Derivation names, top to bottom (e.g. <c>EEG Fpz-Cz</c>, <c>EEG Pz-Oz</c>).</summary>
    public required IReadOnlyList<string> Derivations { get; init; }

    /// <summary>Rendering layout name (an <see cref="EpochImageLayout"/> preset).</summary>
    public required string Layout { get; init; }

    /// <summary>Pixel columns for 30 s.</summary>
    public required int Width { get; init; }

    /// <summary>Pixel rows of one strip (one view of one derivation).</summary>
    public required int StripHeight { get; init; }

    /// <summary>µV from a strip's centre to its edge row for the trace; views carry their own scale.</summary>
    public required float MicrovoltsPerHalfStrip { get; init; }

    /// <summary>Envelope or Polyline.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<TraceDrawingMode>))]
    public required TraceDrawingMode DrawingMode { get; init; }

    /// <summary>Anti-aliased traces (polyline only). Training and inference must agree, or the pixels differ.</summary>
    public bool Antialias { get; init; }

    /// <summary>
    /// How each derivation is drawn (<see cref="TraceView.Name"/>s such as <c>raw@100</c>,
    /// <c>8-13@10</c>), the trace first; empty: the trace alone (models drawn before views existed).
    /// </summary>
    public IReadOnlyList<string> Views { get; init; } = [];

    /// <summary>Time segments per derivation: the ViT's tokens and the columns of the saliency grid.</summary>
    public required int Segments { get; init; }

    /// <summary>
    /// The conditioning's EEG/EOG low-pass edge (Hz) the images were drawn after; null: 35 Hz, the
    /// conditioning's default (models drawn before it was part of the spec). A muscle view (30–45 Hz)
    /// needs the recording's content up to 45 Hz.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ConditioningLowPass { get; init; }

    /// <summary>The per-night amplitude normalisation the images were drawn at; null: none (each night at its recorded amplitude).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AmplitudeNormalisation? AmplitudeNormalisation { get; init; }

    /// <summary>
    /// The narrow-band presentation the model was also trained on (Hz): a study whose EEG lacks the
    /// band up to <see cref="EffectiveConditioningLowPass"/> (sampled too slowly, or filtered below
    /// it by the recorder) is conditioned up to this edge and its views starting at or above it are drawn silent,
    /// as the training nights' narrow-band hours were; null: every study is read at the full band.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? NarrowBand { get; init; }

    /// <summary>
    /// Low-pass edges (Hz, below <see cref="NarrowBand"/>) at which the model was also trained in the
    /// narrow-band presentation: the full band low-passed there (zero-phase Butterworth, order 2, as a
    /// sensing filter runs) with the views starting at or above the edge drawn silent. A sensing
    /// candidate that low-passes at one of them is drawn so; null: filters leave the views as they are.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? FilterEdges { get; init; }

    /// <summary>
    /// The band edge a study read at <paramref name="studyEdge"/> (its narrow band, or null for the full band) is
    /// drawn at through a low-pass at <paramref name="lowPass"/> Hz (null: none): that edge when the model was
    /// trained on it (<see cref="FilterEdges"/>) and it lies below the study's, else the study's.
    /// </summary>
    public double? PresentationEdge(double? studyEdge, double? lowPass) =>
        lowPass is double edge && FilterEdges is { } edges && edges.Contains(edge) && edge < (studyEdge ?? double.MaxValue) ? edge : studyEdge;

    /// <summary>The conditioning's default low-pass (Hz), what models without the field were drawn after.</summary>
    public const double DefaultConditioningLowPass = 35;

    /// <summary>The conditioning low-pass in effect (Hz): <see cref="ConditioningLowPass"/> or the default.</summary>
    [JsonIgnore]
    public double EffectiveConditioningLowPass => ConditioningLowPass ?? DefaultConditioningLowPass;

    /// <summary>The spec of images drawn in <paramref name="layout"/> with <paramref name="views"/> (the trace first).</summary>
    public static ModelImageSpec Create(EpochImageLayout layout, IReadOnlyList<string> derivations, IReadOnlyList<TraceView> views, int segments, TraceDrawingMode mode = TraceDrawingMode.Envelope, bool antialias = false, double? conditioningLowPass = null, AmplitudeNormalisation? normalisation = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(derivations);
        ArgumentNullException.ThrowIfNull(views);
        return new ModelImageSpec
        {
            Derivations = [.. derivations],
            Layout = layout.Name,
            Width = layout.Width,
            StripHeight = layout.StripHeight,
            MicrovoltsPerHalfStrip = layout.MicrovoltsPerHalfStrip,
            DrawingMode = mode,
            Antialias = antialias,
            Views = [.. views.Select(v => v.Name)],
            Segments = segments,
            ConditioningLowPass = conditioningLowPass,
            AmplitudeNormalisation = normalisation,
        };
    }

    /// <summary>The layout the strips are drawn in.</summary>
    public EpochImageLayout ImageLayout => new(Layout, Width, StripHeight, MicrovoltsPerHalfStrip);

    /// <summary>The views of each derivation, the trace first.</summary>
    /// <exception cref="ModelFileException">The list or an entry is missing or malformed; the message names it.</exception>
    public IReadOnlyList<TraceView> ParseViews()
    {
        // A card's JSON may hold null where the type says otherwise.
        if (Views is null)
        {
            throw new ModelFileException("model card: input.views is null; expected a list of names such as 'raw@100', '8-13@10' (or no field for the trace alone).");
        }

        try
        {
            return TraceView.ParseAll(Views, MicrovoltsPerHalfStrip);
        }
        catch (FormatException e)
        {
            throw new ModelFileException($"model card: input.views: {e.Message}", e);
        }
    }

    /// <summary>Strips per derivation: one per view (the trace alone is one).</summary>
    public int StripsPerDerivation => Math.Max(1, Views?.Count ?? 0);

    /// <summary>Image height in pixels: derivations × views × strip rows.</summary>
    public int ImageHeight => Derivations.Count * StripsPerDerivation * StripHeight;

    /// <summary>Bytes of one uint8 image.</summary>
    public int ImageBytes => ImageHeight * Width;

    /// <summary>A renderer of these images (one per thread; dispose it): one strip per derivation and view.</summary>
    public IEpochImageRenderer CreateRenderer() => ModelImageRenderers.Create(ImageLayout, Derivations.Count * StripsPerDerivation, DrawingMode, Antialias);

    /// <summary>The renderer's input cutter for these views (one per thread).</summary>
    public EpochViews CreateViews(double? bandEdge = null) => new(ParseViews(), MicrovoltsPerHalfStrip, bandEdge);

    /// <summary>
    /// The image seen as one row of cells per derivation (its views together): the grid that the
    /// ViT's tokens and the saliency cells share.
    /// </summary>
    public EpochGeometry CellGeometry() => new(Derivations.Count, Width, StripHeight * StripsPerDerivation, MicrovoltsPerHalfStrip);

    /// <summary>Whether both describe the same images (lists compared element by element).</summary>
    public bool SameAs(ModelImageSpec other) =>
        other is not null && Layout == other.Layout && Width == other.Width && StripHeight == other.StripHeight
        && MicrovoltsPerHalfStrip == other.MicrovoltsPerHalfStrip && DrawingMode == other.DrawingMode && Antialias == other.Antialias
        && Segments == other.Segments && Derivations.SequenceEqual(other.Derivations) && Views.SequenceEqual(other.Views)
        && EffectiveConditioningLowPass == other.EffectiveConditioningLowPass && NarrowBand == other.NarrowBand
        && (FilterEdges ?? []).SequenceEqual(other.FilterEdges ?? [])
        && (AmplitudeNormalisation is null ? other.AmplitudeNormalisation is null
            : other.AmplitudeNormalisation is { } n && AmplitudeNormalisation.Quantile == n.Quantile && AmplitudeNormalisation.TargetMicrovolts.SequenceEqual(n.TargetMicrovolts)
                && AmplitudeNormalisation.OverRecording == n.OverRecording);

    /// <summary>Checks what a card read from disk may get wrong before anything is drawn with it.</summary>
    /// <exception cref="ModelFileException">A field is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (Derivations is null || Derivations.Count == 0 || Derivations.Any(string.IsNullOrWhiteSpace))
        {
            throw new ModelFileException("model card: input.derivations must name at least one derivation.");
        }

        if (Width <= 0 || StripHeight < 2 || !(MicrovoltsPerHalfStrip > 0) || !float.IsFinite(MicrovoltsPerHalfStrip))
        {
            throw new ModelFileException($"model card: input width {Width}, strip_height {StripHeight} and microvolts_per_half_strip {MicrovoltsPerHalfStrip} must be positive (strip_height at least 2).");
        }

        if (Segments <= 0 || Width % Segments != 0)
        {
            throw new ModelFileException($"model card: input.segments {Segments} must divide the width {Width} into equal segments.");
        }

        if (!Enum.IsDefined(DrawingMode))
        {
            throw new ModelFileException($"model card: drawing_mode '{DrawingMode}' is not one of {string.Join(", ", Enum.GetNames<TraceDrawingMode>())}.");
        }

        if (ConditioningLowPass is double low && !(low is > 1 and < 50))
        {
            throw new ModelFileException($"model card: input.conditioning_low_pass {low} Hz must lie in (1, 50) Hz (the model's signals are sampled at 100 Hz).");
        }

        if (NarrowBand is double edge && !(edge > 1 && edge < EffectiveConditioningLowPass))
        {
            throw new ModelFileException(string.Create(CultureInfo.InvariantCulture, $"model card: input.narrow_band {edge} Hz must lie between 1 Hz and the conditioning low-pass ({EffectiveConditioningLowPass} Hz)."));
        }

        if (FilterEdges is { } filterEdges && (NarrowBand is not double narrow || filterEdges.Any(e => !(e > 1 && e < narrow))))
        {
            throw new ModelFileException(string.Create(CultureInfo.InvariantCulture, $"model card: input.filter_edges [{string.Join(", ", filterEdges)}] Hz must each lie between 1 Hz and input.narrow_band ({NarrowBand?.ToString(CultureInfo.InvariantCulture) ?? "absent"})."));
        }

        AmplitudeNormalisation?.Validate(Derivations.Count);
        ParseViews();
    }
}
