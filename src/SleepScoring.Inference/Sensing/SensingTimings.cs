using System.Globalization;

namespace SleepScoring.Inference.Sensing;

/// <summary>
/// Where one search's wall-clock time went, for the cost bench (not part of the result JSON).
/// Rendering and encoding are the workers' mean (they run side by side, as in scoring).
/// </summary>
/// <param name="Candidates">Candidates evaluated.</param>
/// <param name="Total">The whole search.</param>
/// <param name="Amplitude">The night amplitudes of the derivations (the amplitude estimate).</param>
/// <param name="Filtering">Filtering the derivations for the filter candidates.</param>
/// <param name="Rendering">Rendering the sample epochs' images.</param>
/// <param name="Encoding">The integer encoder on the images.</param>
/// <param name="EncoderSetUp">The rest of the encoder calls: per-call renderers, buffers, windows and worker start-up.</param>
/// <param name="Sequence">The inter-epoch model's passes over the sample blocks.</param>
/// <param name="Objective">Normalising the probabilities and scoring the objective.</param>
public sealed record SensingTimings(
    int Candidates, TimeSpan Total, TimeSpan Amplitude, TimeSpan Filtering, TimeSpan Rendering, TimeSpan Encoding, TimeSpan EncoderSetUp, TimeSpan Sequence, TimeSpan Objective)
{
    /// <summary>What the parts do not account for: the sample's selection, candidates' bookkeeping.</summary>
    public TimeSpan Other => Total - Amplitude - Filtering - Rendering - Encoding - EncoderSetUp - Sequence - Objective;

    /// <summary>E.g. <c>10 candidates 2.37 s: amplitude 0.10, filtering 0.40, …</c> (seconds).</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Candidates} candidates {Total.TotalSeconds:F2} s: amplitude {Amplitude.TotalSeconds:F2}, filtering {Filtering.TotalSeconds:F2}, rendering {Rendering.TotalSeconds:F2}, encoding {Encoding.TotalSeconds:F2}, encoder set-up {EncoderSetUp.TotalSeconds:F2}, sequence {Sequence.TotalSeconds:F2}, objective {Objective.TotalSeconds:F2}, other {Other.TotalSeconds:F2}");
}
