using System.Data.Common;

using Microsoft.Extensions.Options;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Api.Domain;
using SleepScoring.Api.Hosting;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Storage;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Jobs;

/// <summary>
/// The hosted worker: requeues jobs a dead process left running, then runs
/// <see cref="ScoringOptions.Concurrency"/> loops that each hold one model, claim due jobs from the
/// durable queue under a lease (renewed while scoring; <see cref="ScoringOptions.LeaseDuration"/>)
/// and score them, and one loop that takes back the jobs of nodes whose lease ran out. Errors in the study (bad EDF, no EEG, too short, a mapping to a
/// missing signal, a lights period outside the recording) fail the study at once; anything else (a storage or
/// database fault, or a fault of the code) is retried with capped exponential backoff up to
/// <see cref="ScoringOptions.MaxAttempts"/>, which spans minutes. <see cref="StudyFailure"/> decides which, the stable code
/// and what callers see: no file text, no paths. Stopping gives a running job
/// back; a process that died is counted at the next start (<see cref="ScoringOptions.MaxInterruptions"/>).
/// A finished study with a callback URL is handed to <see cref="CallbackDispatcher"/>.
/// </summary>
public sealed class ScoringWorker(
    IJobStore jobs,
    IStudyStore studies,
    ResultWriter results,
    DataFolder folder,
    IScoringEngineFactory engines,
    CallbackDispatcher callbacks,
    IOptions<ScoringOptions> options,
    IOptions<DatabaseOptions> database,
    TimeProvider time,
    ILogger<ScoringWorker> logger) : BackgroundService
{
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private long claims;
    private string? lastModelProblem;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Scoring is off on this node (Scoring:Enabled=false): it serves HTTP only; other nodes score");
            return;
        }

        // With SQLite the data-folder lock says this is the only process: every running job is a dead
        // one's. With PostgreSQL other nodes are scoring: only expired leases are theirs to take back.
        await RecoverAsync(database.Value.Provider == DatabaseProvider.Sqlite ? Recovery.EveryRunningJob : Recovery.ExpiredLeases, stoppingToken).ConfigureAwait(false);
        int loops = Math.Max(1, options.Value.Concurrency);
        await Task.WhenAll(Enumerable.Range(0, loops).Select(i => Task.Run(() => RunLoopAsync(i, stoppingToken), stoppingToken)).Append(WatchLeasesAsync(stoppingToken))).ConfigureAwait(false);
    }

    private async Task RecoverAsync(Recovery scope, CancellationToken stoppingToken)
    {
        (int recovered, IReadOnlyList<string> interrupted) = await jobs.RecoverAsync(scope, options.Value.MaxInterruptions, stoppingToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            logger.LogWarning("Requeued {Jobs} job(s) left running by a {Who}", recovered, scope == Recovery.EveryRunningJob ? "previous process" : "node whose lease ran out");
        }

        foreach (string studyId in interrupted)
        {
            logger.LogError("Study {StudyId} failed: the service stopped {Times} time(s) while scoring it", studyId, options.Value.MaxInterruptions);
            callbacks.Enqueue(studyId);
        }
    }

    /// <summary>Takes back, every half lease, the jobs whose node stopped renewing them (it died, or hangs).</summary>
    private async Task WatchLeasesAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.LeaseDuration / 2, time, stoppingToken).ConfigureAwait(false);
                try
                {
                    await RecoverAsync(Recovery.ExpiredLeases, stoppingToken).ConfigureAwait(false);
                }
                catch (DbException e)
                {
                    logger.LogWarning("Looking for expired leases failed ({ErrorType}); trying again later", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
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
                    job = engine is null ? null : await jobs.ClaimAsync($"{owner}:{Interlocked.Increment(ref claims)}", options.Value.LeaseDuration, stoppingToken).ConfigureAwait(false);
                    if (job is not null)
                    {
                        await RunJobAsync(engine!, job, stoppingToken).ConfigureAwait(false);
                        CompactAfterRun();
                        continue;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The queue itself failed (e.g. the database); the job, if claimed, is taken back when its lease runs out.
                    logger.LogError(e, "Worker {Slot} loop error", slot);
                }

                await Task.Delay(engine is null ? options.Value.PollInterval * 10 : options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down; a job cut short was given back by RunJobAsync
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
        logger.LogInformation("Scoring study {StudyId}, attempt {Attempt}", job.StudyId, job.Attempts);
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var progress = new StudyProgress(studies, job, lost, time);
        using var renewing = new CancellationTokenSource();
        Task renewals = RenewLeaseAsync(job, lost, renewing.Token);
        try
        {
            // A lost lease cancels the run as a stop does; the give-back is then a no-op (the claim is not ours).
            await ScoreAsync(engine, job, progress, lost.Token).ConfigureAwait(false);
            if (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Study {StudyId}: this node's lease ran out and another node took the job over; its run here is dropped", job.StudyId);
            }
        }
        finally
        {
            await progress.DrainAsync().ConfigureAwait(false); // before `lost` goes: a write in flight may cancel it
            await renewing.CancelAsync().ConfigureAwait(false);
            await renewals.ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lease every third of it; cancels <paramref name="lost"/> when the job is no longer this claim's.</summary>
    private async Task RenewLeaseAsync(ClaimedJob job, CancellationTokenSource lost, CancellationToken done)
    {
        TimeSpan lease = options.Value.LeaseDuration;
        try
        {
            while (true)
            {
                await Task.Delay(lease / 3, time, done).ConfigureAwait(false);
                try
                {
                    if (!await jobs.RenewAsync(job, lease, done).ConfigureAwait(false))
                    {
                        await lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (DbException e)
                {
                    // Tried again at the next third; if the lease runs out meanwhile, another node takes the job.
                    logger.LogWarning("Renewing the lease of study {StudyId} failed ({ErrorType})", job.StudyId, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // the run ended
        }
    }

    private async Task ScoreAsync(IScoringEngine engine, ClaimedJob job, StudyProgress progress, CancellationToken stoppingToken)
    {
        try
        {
            Study? study = await studies.GetAsync(job.StudyId, stoppingToken).ConfigureAwait(false);
            if (study is null)
            {
                return; // deleted meanwhile; its job went with it
            }

            ScoringRequest request = RequestFor(study);
            // The model signals go to this claim's own file: ResultWriter moves it into place only while the claim holds the job.
            var files = new StudyFiles(folder.StudyEdf(job.StudyId), folder.PendingModelSignals(job), folder.Scratch);
            ScoringOutput output;
            try
            {
                output = await Task.Run(() => engine.Score(files, request, progress, stoppingToken), stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                await progress.DrainAsync().ConfigureAwait(false); // no progress write races the result, the give-back or the failure
            }
            if (!await results.WriteAsync(job, output, stoppingToken).ConfigureAwait(false))
            {
                logger.LogWarning("Study {StudyId}: scored, but another node had taken the job over; its result stands", job.StudyId);
                return;
            }

            logger.LogInformation("Study {StudyId} scored: {Epochs} epochs, model {Model} {Version}", job.StudyId, output.Study.Epochs.Count, output.Study.ModelName, output.Study.ModelVersion);
            callbacks.Enqueue(job.StudyId);
        }
        catch (Exception stopped) when (stoppingToken.IsCancellationRequested && IsCancellation(stopped))
        {
            // Stopping on purpose: the job goes back to the queue, counted neither as an attempt nor as an
            // interruption. One try: if the database fails now, the next start counts an interruption.
            try
            {
                await jobs.ReleaseAsync(job, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DbException or IOException)
            {
                logger.LogWarning("Study {StudyId} could not be given back at shutdown ({ErrorType})", job.StudyId, e.GetType().Name);
            }
        }
        catch (Exception e)
        {
            StudyFailure failure = StudyFailure.Of(e, folder.Root);
            if (failure.Permanent)
            {
                logger.LogWarning("Study {StudyId} cannot be scored: {ErrorCode}", job.StudyId, failure.Code);
                await PersistAsync(() => jobs.FailAsync(job, failure.Code, failure.Detail, CancellationToken.None), stoppingToken).ConfigureAwait(false);
                callbacks.Enqueue(job.StudyId);
                return;
            }

            if (job.Attempts >= options.Value.MaxAttempts)
            {
                logger.LogError(e, "Study {StudyId} failed after {Attempts} attempts", job.StudyId, job.Attempts);
                await PersistAsync(() => jobs.FailAsync(job, failure.Code, $"gave up after {job.Attempts} attempts: {failure.Detail}", CancellationToken.None), stoppingToken).ConfigureAwait(false);
                callbacks.Enqueue(job.StudyId);
                return;
            }

            TimeSpan delay = RetryDelay(job.Attempts);
            logger.LogWarning(e, "Study {StudyId} attempt {Attempt} failed ({ErrorCode}); retrying in {Delay}", job.StudyId, job.Attempts, failure.Code, delay);
            await PersistAsync(() => jobs.RescheduleAsync(job, delay, failure.Detail, CancellationToken.None), stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            DeletePending(folder.PendingModelSignals(job)); // a run that stored no result leaves no file behind
        }
    }

    private static void DeletePending(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // the study was deleted meanwhile, its folder with it
        }
    }

    /// <summary>
    /// The run's per-epoch results are garbage once <see cref="RunJobAsync"/> has returned: compact
    /// and hand the pages back, so an idle service does not keep the peak of its longest study
    /// (issue 13, point 5). Not inside the run (RunJobAsync, ScoreAsync): their state machines still hold its output
    /// there, and an idle service allocates too little for another collection to free it later.
    /// </summary>
    private static void CompactAfterRun() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>The wait after attempt <paramref name="attempt"/>: doubling from the first delay, capped.</summary>
    private TimeSpan RetryDelay(long attempt)
    {
        ScoringOptions o = options.Value;
        double factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(o.RetryDelay.Ticks * factor, o.RetryDelayCap.Ticks));
    }

    /// <summary>
    /// Records a job's outcome, retrying while the database or its folder fails (locked, read-only
    /// for a while): a job must not stay 'running' until the next restart because one write failed.
    /// </summary>
    private async Task PersistAsync(Func<Task> write, CancellationToken stoppingToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await write().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is DbException or IOException && !stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait = RetryDelay(Math.Min(attempt, 8));
                logger.LogWarning("Recording a job outcome failed ({ErrorType}); trying again in {Delay}", e.GetType().Name, wait);
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A run ended by its cancellation: the engine's parallel loops report it as an AggregateException
    /// of OperationCanceledExceptions, which must not count as a failed attempt (a SIGTERM would then
    /// spend an attempt and delay the job by the retry backoff).
    /// </summary>
    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || (e is AggregateException a && a.Flatten().InnerExceptions.All(inner => inner is OperationCanceledException));

    private static ScoringRequest RequestFor(Study study) => new()
    {
        ChannelMappings = [.. study.ChannelMappings],
        Lights = study.LightsOff is null && study.LightsOn is null ? null : LightsPeriod.Create(study.LightsOff ?? 0, study.LightsOn ?? study.DurationSeconds ?? double.MaxValue),
    };

    /// <summary>
    /// Writes progress to the study row when the stage changes, every 5 %, and otherwise at most once
    /// a second (1 % or more), off the scoring thread: every 1 % used to be a synchronous UPDATE on it (~100 round trips a
    /// study, each waiting for the database server to get a core on a loaded host). Only the newest
    /// value waits while a write is in flight. A write holds only while the claim holds the job; when
    /// it finds the job taken over, it cancels the run at once instead of waiting for the next lease
    /// renewal to notice. Progress is advisory: a failed write is dropped, the next one tries again.
    /// </summary>
    private sealed class StudyProgress(IStudyStore studies, ClaimedJob job, CancellationTokenSource lost, TimeProvider time) : IProgress<ScoringProgress>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
        private const double Step = 5; // percent: a fast run still shows its progress, in at most 20 writes
        private readonly Lock gate = new();
        private string? stage;
        private double percent = -1;
        private long reported;
        private (string Stage, double Percent)? waiting;
        private Task writer = Task.CompletedTask;
        private bool writing;

        public void Report(ScoringProgress value)
        {
            double now = Math.Round(value.Fraction * 100, 1);
            if (value.Stage == stage && now - percent < Step && (now - percent < 1 || time.GetElapsedTime(reported) < Interval))
            {
                return;
            }

            stage = value.Stage;
            percent = now;
            reported = time.GetTimestamp();
            lock (gate)
            {
                waiting = (value.Stage, now);
                if (!writing)
                {
                    writing = true;
                    writer = Task.Run(WriteAsync);
                }
            }
        }

        /// <summary>Completes when no write is in flight or waiting.</summary>
        public Task DrainAsync()
        {
            lock (gate)
            {
                return writer;
            }
        }

        private async Task WriteAsync()
        {
            while (true)
            {
                (string Stage, double Percent) next;
                lock (gate)
                {
                    if (waiting is null)
                    {
                        writing = false;
                        return;
                    }

                    next = waiting.Value;
                    waiting = null;
                }

                try
                {
                    if (!await studies.SetProgressAsync(job, next.Stage, next.Percent, CancellationToken.None).ConfigureAwait(false))
                    {
                        await lost.CancelAsync().ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
                {
                    // advisory: the next report writes again
                }
                catch
                {
                    lock (gate)
                    {
                        writing = false; // a later report starts a new writer
                    }

                    throw;
                }
            }
        }
    }
}
