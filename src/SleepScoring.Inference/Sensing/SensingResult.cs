namespace SleepScoring.Inference.Sensing;

/// <summary>One candidate tried: at which step of the search, and its objective.</summary>
/// <param name="Step">The search step: <c>assignment</c>, <c>gain</c>, <c>slot gain</c> or <c>filter</c>.</param>
/// <param name="Candidate">What was tried.</param>
/// <param name="Score">Its objective on the sample.</param>
public sealed record SensingEvaluation(string Step, SensingCandidate Candidate, SensingScore Score)
{
    /// <summary>The most probable stage of each sample epoch under this candidate (for benchmarks that know the truth); not part of the JSON.</summary>
    public IReadOnlyList<int> SampleStages { get; init; } = [];
}

/// <summary>How a study was presented to the model, and why.</summary>
/// <param name="Adaptive">Whether the candidates were searched (false: the montage as resolved, gain 1).</param>
/// <param name="Chosen">The presentation scored.</param>
/// <param name="Evaluated">Every candidate tried, in order (empty when not adaptive).</param>
/// <param name="SampleEpochs">Epochs in the sample each candidate was scored on.</param>
/// <param name="Reason">Why this presentation, in words.</param>
public sealed record SensingResult(bool Adaptive, SensingCandidate Chosen, IReadOnlyList<SensingEvaluation> Evaluated, int SampleEpochs, string Reason)
{
    /// <summary>The sample's epoch indices, in the order of <see cref="SensingEvaluation.SampleStages"/>.</summary>
    public IReadOnlyList<int> SampleEpochIndices { get; init; } = [];

    /// <summary>The chosen candidate's score on the sample, or null when nothing was searched.</summary>
    public SensingScore? ChosenScore => Evaluated.LastOrDefault(e => e.Candidate.SameAs(Chosen))?.Score;
}
