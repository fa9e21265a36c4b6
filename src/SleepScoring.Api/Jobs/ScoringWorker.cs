using System.Text.Json;

using Microsoft.Extensions.Options;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Api.Hosting;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Storage;
using SleepScoring.Edf;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Jobs;

/// <summary>
/// The hosted worker: requeues jobs a dead process left running, then runs
/// <see cref="ScoringOptions.Concurrency"/> loops that each hold one model, claim due jobs from the
/// durable queue and score them. Errors in the study (bad EDF, no EEG, too short, a mapping to a
/// missing signal) fail the study; anything else is retried with exponential backoff up to
/// <see cref="ScoringOptions.MaxAttempts"/>. A finished study with a callback URL is handed to
/// <see cref="CallbackDispatcher"/>.
/// </summary>
public sealed class ScoringWorker(
    JobStore jobs,
    StudyStore studies,
    ResultWriter results,
    DataFolder folder,
    IScoringEngineFactory engines,
    CallbackDispatcher callbacks,
    IOptions<ScoringOptions> options,
    ILogger<ScoringWorker> logger) : BackgroundService
{
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private string? lastModelProblem;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int recovered = await jobs.RecoverAsync(stoppingToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            logger.LogWarning("Requeued {Jobs} job(s) left running by a previous process", recovered);
        }

        int loops = Math.Max(1, options.Value.Concurrency);
        await Task.WhenAll(Enumerable.Range(0, loops).Select(i => Task.Run(() => RunLoopAsync(i, stoppingToken), stoppingToken))).ConfigureAwait(false);
    }

    private async Task RunLoopAsync(int slot, CancellationToken stoppingToken)
    {
        IScoringEngine? engine = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                engine ??= TryCreateEngine(slot);
                ClaimedJob? job = null;
                try
                {
                    job = engine is null ? null : await jobs.ClaimAsync(owner, stoppingToken).ConfigureAwait(false);
                    if (job is not null)
                    {
                        await RunJobAsync(engine!, job, stoppingToken).ConfigureAwait(false);
                        continue;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The queue itself failed (e.g. the database); the job, if claimed, is recovered at the next start.
                    logger.LogError(e, "Worker {Slot} loop error", slot);
                }

                await Task.Delay(engine is null ? options.Value.PollInterval * 10 : options.Value.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down; a job cut short stays 'running' and is recovered at the next start
        }
        finally
        {
            engine?.Dispose();
        }
    }

    private IScoringEngine? TryCreateEngine(int slot)
    {
        try
        {
            return engines.Create();
        }
        catch (ModelUnavailableException e)
        {
            // Said once per new reason, not at every retry of the load.
            if (Interlocked.Exchange(ref lastModelProblem, e.Message) != e.Message)
            {
                logger.LogWarning("Worker {Slot} cannot score yet: {Problem}", slot, e.Message);
            }

            return null;
        }
    }

    private async Task RunJobAsync(IScoringEngine engine, ClaimedJob job, CancellationToken stoppingToken)
    {
        StudyRow? study = await studies.GetAsync(job.StudyId, stoppingToken).ConfigureAwait(false);
        if (study is null)
        {
            return; // deleted meanwhile; its job went with it
        }

        logger.LogInformation("Scoring study {StudyId}, attempt {Attempt}", job.StudyId, job.Attempts);
        var progress = new StudyProgress(studies, job.StudyId);
        try
        {
            ScoringRequest request = RequestFor(study);
            ScoringOutput output = await Task.Run(() => engine.Score(folder.StudyEdf(job.StudyId), request, progress, stoppingToken), stoppingToken).ConfigureAwait(false);
            await results.WriteAsync(job.Id, job.StudyId, output, stoppingToken).ConfigureAwait(false);
            logger.LogInformation("Study {StudyId} scored: {Epochs} epochs, model {Model} {Version}", job.StudyId, output.Study.Epochs.Count, output.Study.ModelName, output.Study.ModelVersion);
            callbacks.Enqueue(job.StudyId);
        }
        catch (Exception e) when (IsStudyError(e))
        {
            logger.LogWarning("Study {StudyId} cannot be scored: {ErrorType}", job.StudyId, e.GetType().Name);
            await jobs.FailAsync(job.Id, job.StudyId, e.GetType().Name, e.Message, stoppingToken).ConfigureAwait(false);
            callbacks.Enqueue(job.StudyId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            if (job.Attempts >= options.Value.MaxAttempts)
            {
                logger.LogError(e, "Study {StudyId} failed after {Attempts} attempts", job.StudyId, job.Attempts);
                await jobs.FailAsync(job.Id, job.StudyId, "TransientFailure", $"gave up after {job.Attempts} attempts: {e.GetType().Name}: {e.Message}", stoppingToken).ConfigureAwait(false);
                callbacks.Enqueue(job.StudyId);
                return;
            }

            TimeSpan delay = options.Value.RetryDelay * Math.Pow(2, job.Attempts - 1);
            logger.LogWarning("Study {StudyId} attempt {Attempt} failed ({ErrorType}); retrying in {Delay}", job.StudyId, job.Attempts, e.GetType().Name, delay);
            await jobs.RescheduleAsync(job.Id, job.StudyId, delay, $"{e.GetType().Name}: {e.Message}", stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Errors the study itself causes: retrying cannot help.</summary>
    private static bool IsStudyError(Exception e) =>
        e is EdfFormatException or MontageException or StudyDurationException or ArgumentException or InvalidOperationException && e is not ObjectDisposedException;

    private static ScoringRequest RequestFor(StudyRow study) => new()
    {
        ChannelMappings = JsonSerializer.Deserialize<string[]>(study.ChannelMappings) ?? [],
        Lights = study.LightsOff is null && study.LightsOn is null ? null : LightsPeriod.Create(study.LightsOff ?? 0, study.LightsOn ?? study.DurationSeconds ?? double.MaxValue),
    };

    /// <summary>Writes progress to the study row when the stage changes or the percent moves by 1 or more.</summary>
    private sealed class StudyProgress(StudyStore studies, string studyId) : IProgress<ScoringProgress>
    {
        private string? stage;
        private double percent = -1;

        public void Report(ScoringProgress value)
        {
            double now = Math.Round(value.Fraction * 100, 1);
            if (value.Stage == stage && now - percent < 1)
            {
                return;
            }

            stage = value.Stage;
            percent = now;
            studies.SetProgressAsync(studyId, value.Stage, now, CancellationToken.None).GetAwaiter().GetResult();
        }
    }
}
