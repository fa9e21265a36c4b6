using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

using SleepScoring.Api.Jobs;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Tests.Support;

/// <summary>
/// Wraps the real engine: before each scoring run (numbered from 1 across the service) a script
/// may report progress, wait, or throw — to drive the worker's retry, failure and progress paths.
/// </summary>
internal sealed class ScriptedEngineFactory(IScoringEngineFactory inner, Action<int, IProgress<ScoringProgress>> script) : IScoringEngineFactory
{
    private readonly Action<int, IProgress<ScoringProgress>> script = script;
    private int runs;

    public IScoringEngine Create() => new Engine(inner.Create(), this);

    /// <summary>Replaces the service's engine factory with a scripted one around the real factory.</summary>
    public static Action<IServiceCollection> Install(Action<int, IProgress<ScoringProgress>> script) => services =>
    {
        services.RemoveAll<IScoringEngineFactory>();
        services.AddSingleton<IScoringEngineFactory>(sp => new ScriptedEngineFactory(new ModelScoringEngineFactory(sp.GetRequiredService<ModelProvider>()), script));
    };

    private sealed class Engine(IScoringEngine real, ScriptedEngineFactory owner) : IScoringEngine
    {
        public ScoringOutput Score(StudyFiles files, ScoringRequest request, IProgress<ScoringProgress> progress, CancellationToken cancellationToken)
        {
            owner.script(Interlocked.Increment(ref owner.runs), progress);
            cancellationToken.ThrowIfCancellationRequested(); // a stop during the script's wait ends the run, as the engine's next check would
            return real.Score(files, request, progress, cancellationToken);
        }

        public void Dispose() => real.Dispose();
    }
}
