namespace SleepScoring.Analysis.Montage;

/// <summary>What the montage needs to know of one signal of a study (from its EDF header).</summary>
/// <param name="Index">Position of the signal in the study.</param>
/// <param name="Label">The EDF label as written.</param>
/// <param name="PhysicalDimension">The EDF physical dimension (unit), e.g. <c>uV</c>.</param>
/// <param name="SamplingRate">Samples per second.</param>
public sealed record StudySignal(int Index, string Label, string PhysicalDimension, double SamplingRate);
