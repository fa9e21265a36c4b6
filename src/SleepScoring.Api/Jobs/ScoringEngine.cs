using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;
using SleepScoring.Api.Scored;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Jobs;

/// <summary>What one scoring run leaves: the explained hypnogram and the names of the model's derivations (their samples are in <see cref="StudyFiles.Signals"/> by then).</summary>
public sealed record ScoringOutput(ScoredStudy Study, IReadOnlyList<string> SignalNames);

/// <summary>The files of one scoring run: the stored EDF, where the model's derivations go, and a folder for scratch files.</summary>
public sealed record StudyFiles(string Edf, string Signals, string Scratch);

/// <summary>Scores one stored study. One instance per worker; not thread-safe.</summary>
public interface IScoringEngine : IDisposable
{
    /// <summary>Scores <see cref="StudyFiles.Edf"/>, writing the model's derivations to <see cref="StudyFiles.Signals"/>.</summary>
    ScoringOutput Score(StudyFiles files, ScoringRequest request, IProgress<ScoringProgress> progress, CancellationToken cancellationToken);
}

/// <summary>Makes one <see cref="IScoringEngine"/> per worker.</summary>
public interface IScoringEngineFactory
{
    /// <exception cref="ModelUnavailableException">No usable model.</exception>
    IScoringEngine Create();
}

/// <summary>
/// The real engine: the shipped model through <see cref="StudyScorer"/>, with the night
/// conditioned into scratch files (<see cref="ConditioningStorage.InFolder"/>: derivations, filter
/// passes, sensing's filtered copies) and the derivations the model read copied into the study's
/// signals file a chunk at a time, so a scoring run's memory does not grow with the recording's length.
/// </summary>
public sealed class ModelScoringEngine(StagingModel model) : IScoringEngine
{
    private readonly StudyScorer scorer = new(model);

    public ScoringOutput Score(StudyFiles files, ScoringRequest request, IProgress<ScoringProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        using EdfReader reader = EdfReader.Open(files.Edf);
        progress.Report(new ScoringProgress("conditioning", 0));
        using var signals = new ModelSignalsFile.Writer(files.Signals, model.Card.Input.Derivations);
        using ConditioningStorage storage = ConditioningStorage.InFolder(files.Scratch);
        ConditionedStudy study = scorer.Condition(reader, request, storage);
        ScoredStudy scored = scorer.Score(reader, study, request, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        // The signals the model read (as sensing assigned and filtered them), copied a chunk at a time.
        SampleStore<float>[] read = scorer.ModelSignals(study, scored);
        long length = SignalConditioner.TrackLength(study.Duration);
        for (int slot = 0; slot < read.Length; slot++)
        {
            read[slot].CopyTo(signals.Track(model.Card.Input.Derivations[slot], length)!);
        }

        signals.Complete();
        return new ScoringOutput(scored, model.Card.Input.Derivations);
    }

    public void Dispose() => model.Dispose();
}

/// <summary>Loads the model through <see cref="ModelProvider"/> for each new engine.</summary>
public sealed class ModelScoringEngineFactory(ModelProvider models) : IScoringEngineFactory
{
    public IScoringEngine Create() => new ModelScoringEngine(models.Load());
}
