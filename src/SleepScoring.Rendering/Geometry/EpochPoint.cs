namespace SleepScoring.Rendering.Geometry;

/// <summary>A point of an epoch image expressed in the epoch's terms.</summary>
/// <param name="Derivation">Index of the derivation whose strip holds the point.</param>
/// <param name="Seconds">Time from the epoch's onset, in seconds.</param>
/// <param name="Microvolts">Amplitude the point's height stands for (positive is down: clinical polarity).</param>
public readonly record struct EpochPoint(int Derivation, double Seconds, float Microvolts);
