using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using SleepScoring.Analysis.Montage;
using SleepScoring.Api.Jobs;
using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Tests.Jobs;

/// <summary>The durable worker: transient retries with backoff, permanent failures, progress, waiting for a model.</summary>
public sealed class ScoringWorkerTests
{
    [Fact]
    public async Task TransientFailures_AreRetried_AndTheStudyIsScoredOnce()
    {
        // Runs 1 and 2 fail with an I/O error (transient); run 3 scores.
        using var factory = new ApiFactory(services: ScriptedEngineFactory.Install((run, _) =>
        {
            if (run <= 2)
            {
                throw new IOException($"disk hiccup {run}");
            }
        }));
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(TestStudies.Eeg(4, seed: 40));
        await client.WaitForAsync(id);

        Assert.Equal(3, await StoreQueries.CountAsync(factory, $"SELECT attempts FROM jobs WHERE study_id = '{id}'"));
        Assert.Equal(4, await StoreQueries.CountAsync(factory, $"SELECT COUNT(*) FROM epochs WHERE study_id = '{id}'")); // 4 epochs, no duplicates
    }

    [Fact]
    public async Task TransientFailures_BeyondMaxAttempts_FailTheStudy()
    {
        using var factory = new ApiFactory(
            overrides: new Dictionary<string, string> { ["Scoring:MaxAttempts"] = "3" },
            services: ScriptedEngineFactory.Install((run, _) => throw new IOException($"disk gone {run}")));
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 41));
        JsonElement study = await client.WaitForAsync(id, "failed");

        Assert.Equal("storage", study.GetProperty("error").GetProperty("type").GetString());
        string detail = study.GetProperty("error").GetProperty("detail").GetString()!;
        Assert.Equal("gave up after 3 attempts: storage error while reading or writing the study's files", detail);
        Assert.DoesNotContain("disk gone", detail, StringComparison.Ordinal); // the exception's own text is for the log only
        Assert.Equal(3, await StoreQueries.CountAsync(factory, $"SELECT attempts FROM jobs WHERE study_id = '{id}'"));
    }

    [Fact]
    public async Task ARunLongerThanSeveralLeases_KeepsItsJobByRenewing_AndIsScoredOnce()
    {
        // A 2-s lease, a 6-s run: without renewals the lease watcher would take the job back mid-run.
        // (A 300-ms lease lost a renewal on a loaded 2-core CI machine: the renewal comes every third
        // of the lease, so a shorter lease tests the machine's scheduler rather than the renewal.)
        using var factory = new ApiFactory(
            overrides: new Dictionary<string, string> { ["Scoring:LeaseDuration"] = "00:00:02" },
            services: ScriptedEngineFactory.Install((_, _) => Thread.Sleep(6000)));
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 44));
        await client.WaitForAsync(id);

        Assert.Equal(1, await StoreQueries.CountAsync(factory, $"SELECT attempts FROM jobs WHERE study_id = '{id}'"));
        Assert.Equal(0, await StoreQueries.CountAsync(factory, $"SELECT interruptions FROM jobs WHERE study_id = '{id}'"));
        Assert.Equal(1, await StoreQueries.CountAsync(factory, $"SELECT COUNT(*) FROM jobs WHERE study_id = '{id}' AND status = 'done' AND lease_expires_at IS NULL"));
    }

    [Fact]
    public async Task AGracefulStop_HandsTheRunningJobBack_WithoutSpendingAnAttempt()
    {
        using var started = new ManualResetEventSlim();
        using var factory = new ApiFactory(services: ScriptedEngineFactory.Install((_, _) =>
        {
            started.Set();
            Thread.Sleep(1500); // the stop arrives meanwhile; the real engine then sees the cancelled token
        }));
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 46));
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

        ScoringWorker worker = factory.Services.GetServices<IHostedService>().OfType<ScoringWorker>().Single();
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(1, await StoreQueries.CountAsync(factory, $"SELECT COUNT(*) FROM jobs WHERE study_id = '{id}' AND status = 'queued' AND attempts = 0 AND interruptions = 0 AND claimed_by IS NULL AND lease_expires_at IS NULL"));
        Assert.Equal(1, await StoreQueries.CountAsync(factory, $"SELECT COUNT(*) FROM studies WHERE id = '{id}' AND status = 'queued'"));
    }

    [Fact]
    public async Task ANodeWithScoringOff_AcceptsUploads_ButClaimsNoJob()
    {
        using var factory = new ApiFactory(overrides: new Dictionary<string, string> { ["Scoring:Enabled"] = "false" });
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 45));
        await Task.Delay(TimeSpan.FromSeconds(1)); // 20 poll intervals of a scoring node

        Assert.Equal(1, await StoreQueries.CountAsync(factory, $"SELECT COUNT(*) FROM jobs WHERE study_id = '{id}' AND status = 'queued' AND attempts = 0"));
        Assert.Contains(factory.Logs.Lines, l => l.Contains("Scoring is off on this node", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StudyError_FailsAtOnce_WithTheMontageError()
    {
        // Labels are checked at upload now (Point11_WholeFileCheckedAtUploadTests); a study stored
        // before that check, or against another model, can still meet a montage error in the worker.
        using var factory = new ApiFactory(services: ScriptedEngineFactory.Install((_, _) => throw new MontageException("The study has no EEG signal: labels found 'Resp oro-nasal', 'Temp rectal'.")));
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 42));
        JsonElement study = await client.WaitForAsync(id, "failed");

        Assert.Equal("montage", study.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("no EEG signal", study.GetProperty("error").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await StoreQueries.CountAsync(factory, $"SELECT attempts FROM jobs WHERE study_id = '{id}'"));
    }

    [Fact]
    public async Task Progress_IsVisibleOnTheStudyWhileScoring()
    {
        using var release = new ManualResetEventSlim();
        using var factory = new ApiFactory(services: ScriptedEngineFactory.Install((_, progress) =>
        {
            progress.Report(new ScoringProgress("rendering and encoding", 0.42));
            release.Wait(TimeSpan.FromSeconds(30));
        }));
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 43));

        JsonElement study = default;
        for (int i = 0; i < 400 && study.ValueKind == JsonValueKind.Undefined; i++)
        {
            JsonElement current = await client.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}");
            study = current.GetProperty("status").GetString() == "scoring" ? current : default;
            await Task.Delay(25);
        }

        release.Set();
        Assert.Equal(42, study.GetProperty("progress").GetProperty("percent").GetDouble());
        Assert.Equal("rendering and encoding", study.GetProperty("progress").GetProperty("stage").GetString());
        await client.WaitForAsync(id);
    }

    [Fact]
    public async Task WithoutAModel_ReadyIs503AndJobsWait_UntilAModelArrives()
    {
        using var factory = new ApiFactory(withModel: false);
        using HttpClient client = factory.Admin();
        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 44));

        HttpResponseMessage notReady = await client.GetAsync("/ready");
        JsonElement readiness = await notReady.Content.ReadFromJsonAsync<JsonElement>();
        HttpResponseMessage noCard = await client.GetAsync("/api/v1/model");
        await Task.Delay(300);
        JsonElement waiting = await client.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.False(readiness.GetProperty("model").GetBoolean());
        Assert.Contains("model-card.json", readiness.GetProperty("model_problem").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noCard.StatusCode);
        Assert.Equal("queued", waiting.GetProperty("status").GetString());

        using (var model = new ContractModel())
        {
            foreach (string file in Directory.GetFiles(model.Directory))
            {
                File.Copy(file, Path.Combine(factory.ModelDirectory, Path.GetFileName(file)));
            }
        }

        await client.WaitForAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);
    }
}
