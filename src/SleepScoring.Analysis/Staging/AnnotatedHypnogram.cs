namespace SleepScoring.Analysis.Staging;

/// <summary>
/// What a hypnogram file yields: the epochs, the lights-off/lights-on times when the file
/// marks them, and warnings about anything that had to be interpreted (gaps, overlaps, runs off
/// the epoch grid, ignored annotations).
/// </summary>
/// <param name="Hypnogram">The scored epochs.</param>
/// <param name="LightsOffSeconds">Seconds from the hypnogram start to the first <c>Lights off</c> annotation, if any.</param>
/// <param name="LightsOnSeconds">Seconds from the hypnogram start to the last <c>Lights on</c> annotation, if any.</param>
/// <param name="Warnings">Human-readable notes on interpretation; empty for a clean file.</param>
public sealed record AnnotatedHypnogram(
    Hypnogram Hypnogram,
    double? LightsOffSeconds,
    double? LightsOnSeconds,
    IReadOnlyList<string> Warnings);
