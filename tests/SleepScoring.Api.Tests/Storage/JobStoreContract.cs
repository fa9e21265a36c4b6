using System.Data.Common;

using Dapper;

using Microsoft.Data.Sqlite;

using Npgsql;

using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.PostgreSql;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>
/// What every provider's job queue must do, run against each provider below: each due job claimed
/// once, oldest first, even by many claimers at once; retries, failures, releases and requeues move
/// the study with the job; a lease that runs out hands the job to another claimer, the interruption
/// counted, and the claimer that lost it can no longer change it.
/// </summary>
public abstract class JobStoreContract
{
    private static readonly DateTime Past = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>The stores' clock: the tests move it past a lease.</summary>
    protected ManualClock Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A migrated, empty database of the provider and its job store (on <see cref="Time"/>).</summary>
    protected abstract Task<IJobStore> CreateAsync();

    /// <summary>A connection to that database, to arrange rows and read them back.</summary>
    protected abstract Task<DbConnection> ConnectAsync();

    [SkippableFact]
    public async Task Claim_TakesDueJobsOldestFirst_EachOnce()
    {
        IJobStore jobs = await CreateAsync();
        await AddStudyAsync("st_b", Past.AddMinutes(2));
        await AddStudyAsync("st_a", Past.AddMinutes(1));
        await AddStudyAsync("st_later", Time.GetUtcNow().UtcDateTime.AddHours(1));

        ClaimedJob? first = await jobs.ClaimAsync("node-1", Lease, default);
        ClaimedJob? second = await jobs.ClaimAsync("node-1", Lease, default);
        ClaimedJob? none = await jobs.ClaimAsync("node-1", Lease, default);

        Assert.Equal(("st_a", 1L), (first?.StudyId, first?.Attempts ?? 0));
        Assert.Equal("st_b", second?.StudyId);
        Assert.Null(none);
        Assert.Equal(("running", "node-1"), await RowAsync<(string, string)>("SELECT status, claimed_by FROM jobs WHERE study_id = 'st_a'"));
    }

    [SkippableFact]
    public async Task ConcurrentClaimers_TakeEveryJobExactlyOnce()
    {
        IJobStore jobs = await CreateAsync();
        for (int i = 0; i < 12; i++)
        {
            await AddStudyAsync($"st_{i:00}", Past.AddSeconds(i));
        }

        var claimed = await Task.WhenAll(Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await jobs.ClaimAsync($"node-{n}", Lease, default) is ClaimedJob job)
            {
                mine.Add(job.StudyId);
            }

            return mine;
        })));

        string[] all = [.. claimed.SelectMany(c => c).Order()];
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"st_{i:00}"), all);
        Assert.Equal(12L, await RowAsync<long>("SELECT COUNT(*) FROM jobs WHERE status = 'running' AND attempts = 1"));
    }

    [SkippableFact]
    public async Task Reschedule_QueuesTheJobForLater_AndTheStudyWaits()
    {
        IJobStore jobs = await CreateAsync();
        await AddStudyAsync("st_1", Past);
        ClaimedJob job = (await jobs.ClaimAsync("node-1", Lease, default))!;

        await jobs.RescheduleAsync(job, TimeSpan.FromHours(1), "disk full", default);

        Assert.Null(await jobs.ClaimAsync("node-1", Lease, default));
        Assert.Equal(("queued", "disk full"), await RowAsync<(string, string)>("SELECT status, last_error FROM jobs"));
        Assert.Equal(("queued", "waiting to retry"), await RowAsync<(string, string)>("SELECT status, stage FROM studies"));
    }

    [SkippableFact]
    public async Task Fail_ThenRequeue_StartsAgainFromZeroAttempts()
    {
        IJobStore jobs = await CreateAsync();
        await AddStudyAsync("st_1", Past);
        ClaimedJob job = (await jobs.ClaimAsync("node-1", Lease, default))!;

        Assert.False(await jobs.RequeueFailedAsync("st_1", default));
        await jobs.FailAsync(job, "UnreadableFile", "bad header", default);
        Assert.Equal(("failed", "UnreadableFile"), await RowAsync<(string, string)>("SELECT status, error_type FROM studies"));
        Assert.Equal(new Dictionary<string, int> { ["failed"] = 1 }, await jobs.CountsAsync(default));

        Assert.True(await jobs.RequeueFailedAsync("st_1", default));
        Assert.Equal(("queued", 0L), await RowAsync<(string, long)>("SELECT status, attempts FROM jobs"));
        Assert.Equal(1L, await RowAsync<long>("SELECT COUNT(*) FROM studies WHERE status = 'queued' AND error_type IS NULL"));
    }

    [SkippableFact]
    public async Task Release_GivesTheJobBackWithoutSpendingAnAttempt()
    {
        IJobStore jobs = await CreateAsync();
        await AddStudyAsync("st_1", Past);
        ClaimedJob job = (await jobs.ClaimAsync("node-1", Lease, default))!;
        using (DbConnection c = await ConnectAsync())
        {
            await c.ExecuteAsync("UPDATE studies SET status = 'scoring', stage = 'rendering' WHERE id = 'st_1'");
        }

        await jobs.ReleaseAsync(job, default);

        Assert.Equal(("queued", 0L, 0L), await RowAsync<(string, long, long)>("SELECT status, attempts, interruptions FROM jobs"));
        Assert.Equal("queued", await RowAsync<string>("SELECT status FROM studies"));
        Assert.Equal("st_1", (await jobs.ClaimAsync("node-2", Lease, default))?.StudyId);
    }

    [SkippableFact]
    public async Task Recover_CountsInterruptions_AndFailsAStudyInterruptedTooOften()
    {
        IJobStore jobs = await CreateAsync();
        await AddStudyAsync("st_1", Past);
        await AddStudyAsync("st_2", Past.AddSeconds(1));
        await jobs.ClaimAsync("dead-node", Lease, default);
        await jobs.ClaimAsync("dead-node", Lease, default);
        using (DbConnection c = await ConnectAsync())
        {
            await c.ExecuteAsync("UPDATE jobs SET interruptions = 2 WHERE study_id = 'st_2'");
        }

        (int requeued, IReadOnlyList<string> failed) = await jobs.RecoverAsync(Recovery.EveryRunningJob, maxInterruptions: 3, default);

        Assert.Equal(1, requeued);
        Assert.Equal(["st_2"], failed);
        Assert.Equal(("queued", 0L, 1L), await RowAsync<(string, long, long)>("SELECT status, attempts, interruptions FROM jobs WHERE study_id = 'st_1'"));
        Assert.Equal(("failed", "interrupted"), await RowAsync<(string, string)>("SELECT status, error_type FROM studies WHERE id = 'st_2'"));
    }

    [SkippableFact]
    public async Task ExpiredLease_IsTakenBackWithTheInterruptionCounted_AndClaimedByAnotherNode()
    {
        IJobStore jobs = await CreateAsync();
        await AddStudyAsync("st_1", Past);
        ClaimedJob dead = (await jobs.ClaimAsync("node-1:1", Lease, default))!;

        Time.Advance(Lease / 2);
        Assert.Equal((0, 0), Counted(await jobs.RecoverAsync(Recovery.ExpiredLeases, maxInterruptions: 3, default)));
        Assert.Null(await jobs.ClaimAsync("node-2:1", Lease, default));

        Time.Advance(Lease);
        Assert.Equal((1, 0), Counted(await jobs.RecoverAsync(Recovery.ExpiredLeases, maxInterruptions: 3, default)));
        Assert.Equal(("queued", 1L), await RowAsync<(string, long)>("SELECT status, interruptions FROM jobs"));
        ClaimedJob taken = (await jobs.ClaimAsync("node-2:1", Lease, default))!;

        Assert.Equal((dead.Id, "node-2:1", 1L), (taken.Id, taken.Claim, taken.Attempts));
        Assert.Equal("node-2:1", await RowAsync<string>("SELECT claimed_by FROM jobs"));
    }

    [SkippableFact]
    public async Task Renewal_KeepsTheJob_WhileAClaimThatLostItChangesNothing()
    {
        IJobStore jobs = await CreateAsync();
        await AddStudyAsync("st_1", Past);
        ClaimedJob first = (await jobs.ClaimAsync("node-1:1", Lease, default))!;
        Time.Advance(Lease * 0.9);
        Assert.True(await jobs.RenewAsync(first, Lease, default));
        Time.Advance(Lease * 0.9);
        Assert.Equal(0, (await jobs.RecoverAsync(Recovery.ExpiredLeases, 3, default)).Requeued);

        Time.Advance(Lease * 2);
        await jobs.RecoverAsync(Recovery.ExpiredLeases, 3, default);
        ClaimedJob second = (await jobs.ClaimAsync("node-2:1", Lease, default))!;

        Assert.False(await jobs.RenewAsync(first, Lease, default));
        await jobs.FailAsync(first, "UnreadableFile", "late", default);
        await jobs.RescheduleAsync(first, TimeSpan.Zero, "late", default);
        await jobs.ReleaseAsync(first, default);
        Assert.Equal(("running", "node-2:1", (string?)null), await RowAsync<(string, string, string?)>("SELECT j.status, j.claimed_by, s.error_detail FROM jobs j JOIN studies s ON s.id = j.study_id"));
        Assert.True(await jobs.RenewAsync(second, Lease, default));
    }

    [SkippableFact]
    public async Task AJobWhoseNodesKeepDying_FailsAfterTheInterruptionLimit()
    {
        IJobStore jobs = await CreateAsync();
        await AddStudyAsync("st_poison", Past);
        var failed = new List<string>();
        for (int node = 1; node <= 3; node++)
        {
            Assert.NotNull(await jobs.ClaimAsync($"node-{node}:1", Lease, default));
            Time.Advance(Lease * 2);
            failed.AddRange((await jobs.RecoverAsync(Recovery.ExpiredLeases, maxInterruptions: 3, default)).Failed);
        }

        Assert.Equal(["st_poison"], failed);
        Assert.Null(await jobs.ClaimAsync("node-4:1", Lease, default));
        Assert.Equal(("failed", 3L), await RowAsync<(string, long)>("SELECT status, interruptions FROM jobs"));
        Assert.Equal(("failed", "interrupted"), await RowAsync<(string, string)>("SELECT status, error_type FROM studies"));
    }

    [SkippableFact]
    public async Task NodesTakingBackTheSameExpiredLeasesAtOnce_CountEachInterruptionOnce()
    {
        IJobStore jobs = await CreateAsync();
        for (int i = 0; i < 6; i++)
        {
            await AddStudyAsync($"st_{i}", Past.AddSeconds(i));
            await jobs.ClaimAsync("dead-node:1", Lease, default);
        }

        Time.Advance(Lease * 2);
        var recovered = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => jobs.RecoverAsync(Recovery.ExpiredLeases, 3, default))));

        Assert.Equal(6, recovered.Sum(r => r.Requeued));
        Assert.Equal(6L, await RowAsync<long>("SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND interruptions = 1"));
    }

    private static (int Requeued, int Failed) Counted((int Requeued, IReadOnlyList<string> Failed) outcome) => (outcome.Requeued, outcome.Failed.Count);

    private async Task AddStudyAsync(string id, DateTime due)
    {
        using DbConnection c = await ConnectAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO studies (id, sha256, request_sha256, status, size_bytes, uploaded_at, uploaded_by, deidentified, channel_mappings, edf_warnings)
            VALUES (@id, 'abc', @id, 'queued', 1, @at, 'key_1', TRUE, '[]', '[]');
            INSERT INTO jobs (study_id, status, attempts, next_attempt_at, created_at) VALUES (@id, 'queued', 0, @at, @at);
            """,
            new { id, at = StoredTime.Format(due) });
    }

    private async Task<T> RowAsync<T>(string sql)
    {
        using DbConnection c = await ConnectAsync();
        return await c.QuerySingleAsync<T>(sql);
    }
}

/// <summary>The contract on SQLite, the embedded default.</summary>
public sealed class SqliteJobStoreTests : JobStoreContract, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-jobs-").FullName;
    private Database? database;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    protected override async Task<IJobStore> CreateAsync()
    {
        database = new Database(Path.Combine(directory, "sleepscoring.db"));
        await Migrator.MigrateAsync(database);
        return new JobStore(database, Time);
    }

    protected override async Task<DbConnection> ConnectAsync() => await database!.OpenAsync();
}

/// <summary>The contract on a real PostgreSQL (Debian's postgresql package), one database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJobStoreTests(PostgresServer server) : JobStoreContract, IAsyncLifetime
{
    private PostgresDatabase? database;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    protected override async Task<IJobStore> CreateAsync()
    {
        database = new PostgresDatabase(await server.CreateDatabaseAsync());
        await PostgresMigrator.MigrateAsync(database);
        return new JobStore(database, Time);
    }

    protected override async Task<DbConnection> ConnectAsync() => await database!.OpenAsync();
}
