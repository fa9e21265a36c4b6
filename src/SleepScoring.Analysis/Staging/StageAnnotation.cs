namespace SleepScoring.Analysis.Staging;

/// <summary>
/// One annotation as hypnogram files store it: onset (seconds from the recording start),
/// optional duration in seconds, and text (a stage label, <c>Lights off</c>, or anything else).
/// EDF+ TALs and annotation CSV rows both become a list of these.
/// </summary>
/// <param name="Onset">Seconds from the start of the recording.</param>
/// <param name="Duration">Seconds; null or 0 for a point annotation.</param>
/// <param name="Text">The annotation text.</param>
public readonly record struct StageAnnotation(double Onset, double? Duration, string Text);
