namespace SleepScoring.Analysis;

/// <summary>
/// A 30-s epoch's sleep stage (AASM). The first five values are the model's classes, in the order
/// of its outputs; <see cref="Unscored"/> and <see cref="Artefact"/> are never predicted and are
/// excluded from statistics and evaluation.
/// </summary>
public enum SleepStage : byte
{
    W = 0,
    N1 = 1,
    N2 = 2,
    N3 = 3,
    R = 4,
    Unscored = 5,
    Artefact = 6,
}
