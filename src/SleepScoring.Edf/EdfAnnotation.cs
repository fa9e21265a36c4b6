namespace SleepScoring.Edf;

/// <summary>One EDF+ annotation (one text of a time-stamped annotation list).</summary>
/// <param name="Onset">Seconds from <see cref="EdfHeader.StartTime"/> (which includes the sub-second start).</param>
/// <param name="Duration">Seconds, or null when the TAL gives no duration.</param>
/// <param name="Text">The annotation text (UTF-8 decoded).</param>
public sealed record EdfAnnotation(double Onset, double? Duration, string Text);

/// <summary>A stretch of an EDF+D recording not covered by any data record.</summary>
/// <param name="Start">Seconds from <see cref="EdfHeader.StartTime"/> at which the gap begins.</param>
/// <param name="Duration">Length of the gap in seconds.</param>
public sealed record EdfGap(double Start, double Duration);
