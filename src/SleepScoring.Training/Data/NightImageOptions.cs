using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Model;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Training.Data;

/// <summary>How <see cref="NightImageLoader"/> turns a PSG into model images.</summary>
public sealed record NightImageOptions
{
    /// <summary>The model's derivations, one group of image strips each, top to bottom (as the model card lists them).</summary>
    public static IReadOnlyList<string> Derivations { get; } = [ModelDerivations.Frontal.Name, ModelDerivations.Posterior.Name];

    /// <summary>Image geometry (default: the "small" preset, 2 × 32 × 300).</summary>
    public EpochImageLayout Layout { get; init; } = EpochImageLayout.Small;

    /// <summary>Trace drawing (default: envelope, the fastest direct rasteriser).</summary>
    public TraceDrawingMode DrawingMode { get; init; } = TraceDrawingMode.Envelope;

    /// <summary>Anti-aliased polylines (only with <see cref="TraceDrawingMode.Polyline"/>).</summary>
    public bool Antialias { get; init; }

    /// <summary>
    /// Keep every epoch of the recording. By default a night is cropped to its sleep period ± 30 min
    /// of wake (first/last sleep epoch ± 60 epochs, the usual Sleep-EDF protocol), because
    /// Sleep-EDF cassette recordings hold many hours of daytime wake that would dominate training
    /// and inflate accuracy.
    /// </summary>
    public bool WholeRecording { get; init; }

    /// <summary>
    /// Extra band-passed views drawn under each derivation's trace (empty: the trace alone). The
    /// model image holds, per derivation, the trace then these views, each <see cref="EpochImageLayout.StripHeight"/> rows.
    /// </summary>
    public IReadOnlyList<TraceView> ExtraViews { get; init; } = DefaultExtraViews;

    /// <summary>
    /// Views under each trace: theta (4–8 Hz at ±20 µV), alpha (8–13 Hz at ±10 µV) and beta (13–30 Hz
    /// at ±10 µV), the bands of the spectra the stages differ in (models 2.0.0 and 2.1.0; the shipped
    /// model adds <see cref="MuscleView"/>). On the weakest cross-validation fold they raised accuracy
    /// from 70.4 to 79.4 % (README, ablations).
    /// </summary>
    public static IReadOnlyList<TraceView> DefaultExtraViews { get; } = [new(4, 8, 20f), new(8, 13, 10f), new(13, 30, 10f)];

    /// <summary>
    /// A muscle view (30–45 Hz at ±5 µV) to add to <see cref="DefaultExtraViews"/>: the shipped
    /// model's fourth view since 2.2.0 (<c>train</c>'s default since session 11), through which sensing and the model see
    /// broadband noise; a recording without that band is drawn narrow-band instead (docs/montage.md).
    /// </summary>
    public static TraceView MuscleView { get; } = new(30, 45, 5f);

    /// <summary>
    /// The normalisation <c>train --amplitude-normalisation on</c> draws with: each EEG derivation's
    /// night brought to where the lower quartile of its epoch amplitudes is 7 µV (Fpz-Cz) and 5 µV
    /// (Pz-Oz) — the training nights' median quartiles (6.7 and 5.0 µV), so the strips' scales keep their meaning. The lower quartile, not the median, because
    /// it moves less with a recording's share of slow-wave sleep.
    /// </summary>
    public static AmplitudeNormalisation DefaultAmplitudeNormalisation { get; } = new(0.25, [7.0, 5.0]);

    /// <summary>
    /// The conditioning's EEG/EOG low-pass edge (Hz); by default the conditioning's own 35 Hz, or the
    /// highest view's upper edge above it (a 30–45 Hz muscle view needs the recording up to 45 Hz).
    /// </summary>
    public double ConditioningLowPass
    {
        get => conditioningLowPass ?? Math.Max(ModelImageSpec.DefaultConditioningLowPass, ExtraViews.Max(v => v.HighHz) ?? 0);
        init => conditioningLowPass = value;
    }

    private readonly double? conditioningLowPass;

    /// <summary>Each night's EEG brought to one amplitude before it is drawn; null: as recorded.</summary>
    public AmplitudeNormalisation? AmplitudeNormalisation { get; init; }

    /// <summary>Hours of each night low-passed as other sites record them (training nights only); null: as recorded.</summary>
    public BandwidthAugmentation? BandwidthAugmentation { get; init; }

    /// <summary>Hours of each night drawn in the narrow-band presentation (training nights only); null: every hour at the full band.</summary>
    public NarrowBandAugmentation? NarrowBandAugmentation { get; init; }

    /// <summary>The narrow band the model is trained to read (Hz; the card's <c>input.narrow_band</c>); null: none.</summary>
    public double? NarrowBand { get; init; }

    /// <summary>The sensing low-pass edges the model is also trained to read narrow-band (the card's <c>input.filter_edges</c>); null: none.</summary>
    public IReadOnlyList<double>? FilterEdges { get; init; }

    /// <summary>The conditioning these images are drawn after.</summary>
    public ConditioningOptions Conditioning => ConditioningOptions.Default with { LowPass = ConditioningLowPass };

    /// <summary>Every view of a derivation, the trace at the layout's scale first.</summary>
    public IReadOnlyList<TraceView> Views => [TraceView.Trace(Layout.MicrovoltsPerHalfStrip), .. ExtraViews];

    /// <summary>The spec of these images for a model that cuts them into <paramref name="segments"/> time segments.</summary>
    public ModelImageSpec Spec(int segments)
    {
        ModelImageSpec spec = ModelImageSpec.Create(Layout, Derivations, Views, segments, DrawingMode, Antialias,
            ConditioningLowPass == ModelImageSpec.DefaultConditioningLowPass ? null : ConditioningLowPass, AmplitudeNormalisation);
        return spec with { NarrowBand = NarrowBand, FilterEdges = FilterEdges };
    }

    /// <summary>Loader options that draw the images <paramref name="spec"/> describes.</summary>
    /// <exception cref="ModelFileException">The spec's views are malformed.</exception>
    public static NightImageOptions From(ModelImageSpec spec, bool wholeRecording, int maxParallelism)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new()
        {
            Layout = spec.ImageLayout,
            DrawingMode = spec.DrawingMode,
            Antialias = spec.Antialias,
            WholeRecording = wholeRecording,
            MaxParallelism = maxParallelism,
            ExtraViews = [.. spec.ParseViews().Skip(1)],
            ConditioningLowPass = spec.EffectiveConditioningLowPass,
            AmplitudeNormalisation = spec.AmplitudeNormalisation,
            NarrowBand = spec.NarrowBand,
            FilterEdges = spec.FilterEdges,
        };
    }

    /// <summary>Nights conditioned and rendered at once (each holds a whole night's signals in memory).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}
