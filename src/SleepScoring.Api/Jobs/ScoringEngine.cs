using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Jobs;

/// <summary>What one scoring run leaves: the explained hypnogram and the model's derivations (for clinician images).</summary>
public sealed record ScoringOutput(ScoredStudy Study, IReadOnlyList<string> SignalNames, float[][] Signals);

/// <summary>Scores one stored study. One instance per worker; not thread-safe.</summary>
public interface IScoringEngine : IDisposable
{
    /// <summary>Scores the EDF at <paramref name="edfPath"/>.</summary>
    ScoringOutput Score(string edfPath, ScoringRequest request, IProgress<ScoringProgress> progress, CancellationToken cancellationToken);
}

/// <summary>Makes one <see cref="IScoringEngine"/> per worker.</summary>
public interface IScoringEngineFactory
{
    /// <exception cref="ModelUnavailableException">No usable model.</exception>
    IScoringEngine Create();
}

/// <summary>The real engine: the shipped model through <see cref="StudyScorer"/>.</summary>
public sealed class ModelScoringEngine(StagingModel model) : IScoringEngine
{
    private readonly StudyScorer scorer = new(model);

    public ScoringOutput Score(string edfPath, ScoringRequest request, IProgress<ScoringProgress> progress, CancellationToken cancellationToken)
    {
        using EdfReader reader = EdfReader.Open(edfPath);
        progress.Report(new ScoringProgress("conditioning", 0));
        ConditionedStudy study = scorer.Condition(reader, request);
        ScoredStudy scored = scorer.Score(reader, study, request, progress, cancellationToken);
        return new ScoringOutput(scored, model.Card.Input.Derivations, scorer.ModelSignals(study, scored));
    }

    public void Dispose() => model.Dispose();
}

/// <summary>Loads the model through <see cref="ModelProvider"/> for each new engine.</summary>
public sealed class ModelScoringEngineFactory(ModelProvider models) : IScoringEngineFactory
{
    public IScoringEngine Create() => new ModelScoringEngine(models.Load());
}
