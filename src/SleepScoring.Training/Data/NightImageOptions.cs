using SleepScoring.Analysis.Montage;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Training.Data;

/// <summary>How <see cref="NightImageLoader"/> turns a PSG into model images.</summary>
public sealed record NightImageOptions
{
    /// <summary>The model's derivations, one image band each, in band order (as the model card lists them).</summary>
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

    /// <summary>Nights conditioned and rendered at once (each holds a whole night's signals in memory).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}
