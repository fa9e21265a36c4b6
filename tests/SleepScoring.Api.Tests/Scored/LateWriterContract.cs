using System.Data.Common;

using Dapper;

using Microsoft.Data.Sqlite;

using SleepScoring.Api.Jobs;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.Sql;
using SleepScoring.Api.Tests.Storage;
using SleepScoring.Api.Tests.Support;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Tests.Scored;

/// <summary>
/// Issue 16, a node that lost its lease (it stalled; its lease ran out and another node took the job
/// over): when it comes back with its finished run, it writes no epoch rows, no result JSON and no
/// model-signals file, shows no progress, and leaves no file of its own behind — before the new
/// claimer stores the result and after it. Run against each provider.
/// </summary>
public abstract class LateWriterContract : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private const string StudyId = "st_late";
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-late-").FullName;
    private readonly ContractModel model = new();

    protected ManualClock Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A migrated, empty database of the provider.</summary>
    protected abstract Task<ISqlDatabase> CreateDatabaseAsync();

    public virtual void Dispose()
    {
        model.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public async Task ANodeWhoseLeaseWasTakenOver_WritesNeitherRowsNorFiles_BeforeOrAfterTheNewClaimer()
    {
        ISqlDatabase database = await CreateDatabaseAsync();
        using var folder = new DataFolder(Path.Combine(directory, "data"));
        var jobs = new JobStore(database, Time);
        IStudyStore studies = new StudyStore(database, Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<StudyStore>.Instance);
        var results = new ResultWriter(new ResultStore(database, studies, Time), folder);
        await AddStudyAsync(database, folder);
        using var engine = new ModelScoringEngine(StagingModel.Load(model.Directory));

        // Node A claims and scores, then stalls past its lease; node B takes the job over.
        ClaimedJob a = (await jobs.ClaimAsync("node-a:1:1", Lease, default))!;
        ScoringOutput late = Score(engine, folder, a);
        Time.Advance(Lease * 2);
        Assert.Equal(1, (await jobs.RecoverAsync(Recovery.ExpiredLeases, 3, default)).Requeued);
        ClaimedJob b = (await jobs.ClaimAsync("node-b:1:1", Lease, default))!;

        Assert.False(await studies.SetProgressAsync(a, "rendering and encoding", 50, default));
        Assert.False(await results.WriteAsync(a, late, default));
        Assert.Equal(["study.edf"], StudyFiles(folder)); // A's signals and JSON neither in place nor left behind
        Assert.Equal((0L, "queued", 0.0), await RowAsync<(long, string, double)>(database, "SELECT (SELECT COUNT(*) FROM epochs), status, progress_percent FROM studies"));

        // B stores the result once; A, later still, changes none of it.
        Assert.True(await studies.SetProgressAsync(b, "rendering and encoding", 50, default));
        Assert.True(await results.WriteAsync(b, Score(engine, folder, b), default));
        string[] stored = StudyFiles(folder);
        DateTime[] written = [.. stored.Select(f => File.GetLastWriteTimeUtc(Path.Combine(folder.StudyDirectory(StudyId), f)))];
        string json = await File.ReadAllTextAsync(folder.ResultJson(StudyId));
        Assert.False(await results.WriteAsync(a, late, default));
        Assert.False(await studies.SetProgressAsync(a, "rendering and encoding", 50, default));

        Assert.Equal(["bands.f32", "result.json", "study.edf"], stored);
        Assert.Equal(stored, StudyFiles(folder));
        Assert.Equal(written, stored.Select(f => File.GetLastWriteTimeUtc(Path.Combine(folder.StudyDirectory(StudyId), f))));
        Assert.Equal(json, await File.ReadAllTextAsync(folder.ResultJson(StudyId)));
        Assert.Equal(("scored", 100.0, "done", 1L), await RowAsync<(string, double, string, long)>(database, "SELECT s.status, s.progress_percent, j.status, j.interruptions FROM studies s JOIN jobs j ON j.study_id = s.id"));
        Assert.Equal(late.Study.Epochs.Count, await RowAsync<long>(database, "SELECT COUNT(*) FROM epochs"));
    }

    /// <summary>One claim's run, as the worker makes it: the model signals go to the claim's own pending file.</summary>
    private static ScoringOutput Score(IScoringEngine engine, DataFolder folder, ClaimedJob job) =>
        engine.Score(new StudyFiles(folder.StudyEdf(job.StudyId), folder.PendingModelSignals(job), folder.Scratch), new ScoringRequest(), new Progress<ScoringProgress>(), default);

    private static string[] StudyFiles(DataFolder folder) =>
        [.. Directory.GetFiles(folder.StudyDirectory(StudyId)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private async Task AddStudyAsync(ISqlDatabase database, DataFolder folder)
    {
        folder.CreateStudyDirectory(StudyId);
        await File.WriteAllBytesAsync(folder.StudyEdf(StudyId), TestStudies.Eeg(8, seed: 16));
        string at = StoredTime.Format(Time.GetUtcNow().AddMinutes(-1));
        await using DbConnection c = await database.OpenAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO studies (id, sha256, request_sha256, status, size_bytes, uploaded_at, uploaded_by, deidentified, channel_mappings, edf_warnings)
            VALUES (@id, 'abc', @id, 'queued', 1, @at, 'key_1', TRUE, '[]', '[]');
            INSERT INTO jobs (study_id, status, attempts, next_attempt_at, created_at) VALUES (@id, 'queued', 0, @at, @at);
            """,
            new { id = StudyId, at });
    }

    private static async Task<T> RowAsync<T>(ISqlDatabase database, string sql)
    {
        await using DbConnection c = await database.OpenAsync();
        return await c.QuerySingleAsync<T>(sql);
    }
}

/// <summary>The late writer on SQLite (one process, but a stalled worker loop can still lose its lease to the lease watcher).</summary>
public sealed class SqliteLateWriterTests : LateWriterContract
{
    private readonly MigratedSqliteFile file = new("late");

    protected override async Task<ISqlDatabase> CreateDatabaseAsync() => await file.CreateAsync();

    public override void Dispose()
    {
        base.Dispose();
        file.Dispose();
    }
}

/// <summary>The late writer on a real PostgreSQL, where nodes share the database and the folder.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLateWriterTests(PostgresServer server) : LateWriterContract, IAsyncLifetime
{
    private readonly MigratedPostgres databases = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => databases.DisposeAsync().AsTask();

    protected override async Task<ISqlDatabase> CreateDatabaseAsync() => await databases.CreateAsync();
}
