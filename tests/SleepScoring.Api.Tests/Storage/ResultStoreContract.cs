using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;

using Dapper;

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.PostgreSql;
using SleepScoring.Api.Storage.Sql;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>
/// What every provider's result store must do with a night's epochs, run against each provider
/// below: every epoch stored once, read back as it was written (stage and the contract's epoch
/// object, character for character), and rows an earlier result left replaced, not added to.
/// </summary>
public abstract class ResultStoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly string[] Stages = ["W", "N1", "N2", "N3", "R", "unscored", "artefact"];

    protected ManualClock Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A migrated, empty database of the provider.</summary>
    protected abstract Task<ISqlDatabase> CreateDatabaseAsync();

    [SkippableFact]
    public async Task ANight_ReadsBackAsStored_OneRowPerEpoch_ReplacingRowsLeftBefore()
    {
        ISqlDatabase database = await CreateDatabaseAsync();
        ClaimedJob job = await QueueAndClaimAsync(database, "st_night");
        await using (DbConnection c = await database.OpenAsync())
        {
            // Rows of an earlier result, one of them past the new night's end.
            await c.ExecuteAsync(
                "INSERT INTO epochs (study_id, epoch, model_stage, detail) VALUES ('st_night', 0, 'W', '{}'), ('st_night', 5, 'R', '{}'), ('st_night', 2000, 'N1', '{}')");
        }

        EpochToStore[] night = Night(960);
        IResultStore store = Store(database);

        Assert.True(await store.StoreAsync(job, Result(night), () => { }, default));
        (_, ScoredResult? result) = await store.LoadAsync("st_night", default);

        Assert.NotNull(result);
        Assert.Equal(night.Select(e => e.Index), result.Epochs.Select(e => e.Index));
        Assert.Equal(night.Select(e => e.Stage), result.Epochs.Select(e => EpochResult.Name(e.ModelStage)));
        Assert.Equal(night.Select(e => e.Detail), result.Epochs.Select(e => e.Detail));
        Assert.Equal(960L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM epochs"));
        Assert.Equal(960L, await ScalarAsync<long>(database, "SELECT epoch_count FROM studies WHERE id = 'st_night'"));
    }

    /// <summary>The store the service builds on <paramref name="database"/>, on <see cref="Time"/>.</summary>
    protected IResultStore Store(ISqlDatabase database) =>
        new ResultStore(database, new StudyStore(database, Time, NullLogger<StudyStore>.Instance), Time);

    /// <summary>
    /// <paramref name="count"/> epochs, stages in turn, each epoch object with text that must come
    /// back unchanged: quotes, backslashes, a tab, a newline, characters beyond ASCII and beyond the BMP.
    /// </summary>
    protected static EpochToStore[] Night(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new EpochToStore(
            i,
            Stages[i % Stages.Length],
            JsonSerializer.Serialize(new { epoch = i, note = $"quote \" backslash \\ tab \t newline \n ünïcödé 🌙 {i}", probabilities = new { W = 0.5f, N1 = 0.1f, N2 = 0.2f, N3 = 0.1f, R = 0.1f } })))];

    protected static ResultToStore Result(IReadOnlyList<EpochToStore> epochs) =>
        new(epochs, "contract-model", "1.0", [], [], 0.6, null, null);

    /// <summary>A queued study and its job, claimed as a worker claims it.</summary>
    protected async Task<ClaimedJob> QueueAndClaimAsync(ISqlDatabase database, string studyId)
    {
        string at = StoredTime.Format(Time.GetUtcNow().AddMinutes(-1));
        await using (DbConnection c = await database.OpenAsync())
        {
            await c.ExecuteAsync(
                """
                INSERT INTO studies (id, sha256, request_sha256, status, size_bytes, uploaded_at, uploaded_by, deidentified, channel_mappings, edf_warnings)
                VALUES (@studyId, 'abc', @studyId, 'queued', 1, @at, 'key_1', TRUE, '[]', '[]');
                INSERT INTO jobs (study_id, status, attempts, next_attempt_at, created_at) VALUES (@studyId, 'queued', 0, @at, @at);
                """,
                new { studyId, at });
        }

        return (await new JobStore(database, Time).ClaimAsync($"node:{studyId}", Lease, default))!;
    }

    private static async Task<T> ScalarAsync<T>(ISqlDatabase database, string sql)
    {
        await using DbConnection c = await database.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql))!;
    }
}

/// <summary>The result store on SQLite.</summary>
public sealed class SqliteResultStoreTests : ResultStoreContract, IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"sleepscoring-results-{Guid.NewGuid():N}.db");

    protected override async Task<ISqlDatabase> CreateDatabaseAsync()
    {
        var database = new Database(file);
        await Migrator.MigrateAsync(database);
        return database;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (string f in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(f);
        }
    }
}

/// <summary>The result store on a real PostgreSQL, where every statement is a round trip to the server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresResultStoreTests(PostgresServer server) : ResultStoreContract, IAsyncLifetime
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

    protected override async Task<ISqlDatabase> CreateDatabaseAsync()
    {
        database = new PostgresDatabase(await server.CreateDatabaseAsync());
        await PostgresMigrator.MigrateAsync(database);
        return database;
    }

    /// <summary>
    /// Storing an 8-h night (960 epochs) sends the server as many statements as storing one epoch,
    /// and its epochs in one INSERT: one per epoch was 960 round trips a study (issue 16's bench).
    /// Counted from Npgsql's own trace of each command it sends.
    /// </summary>
    [SkippableFact]
    public async Task StoringANight_SendsAsManyStatementsAsOneEpoch_ItsEpochsInOneInsert()
    {
        ISqlDatabase db = await CreateDatabaseAsync();
        IResultStore store = Store(db);
        ClaimedJob one = await QueueAndClaimAsync(db, "st_one");
        ClaimedJob night = await QueueAndClaimAsync(db, "st_night");

        IReadOnlyList<string> forOne = await StatementsAsync(() => store.StoreAsync(one, Result(Night(1)), () => { }, default));
        IReadOnlyList<string> forNight = await StatementsAsync(() => store.StoreAsync(night, Result(Night(960)), () => { }, default));

        Assert.Equal(forOne.Count, forNight.Count);
        Assert.Single(forNight, s => s.StartsWith("INSERT INTO epochs", StringComparison.Ordinal));
        Assert.InRange(forNight.Count, 4, 8); // the job, the old rows, the epochs, the study, the callback
    }

    /// <summary>The text of every command Npgsql sends while <paramref name="action"/> runs (its trace only: other tests' commands are on other traces).</summary>
    private static async Task<IReadOnlyList<string>> StatementsAsync(Func<Task<bool>> action)
    {
        var statements = new List<string>();
        using var root = new Activity("result-store-statements");
        root.SetIdFormat(ActivityIdFormat.W3C);
        root.Start();
        ActivityTraceId trace = root.TraceId;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == trace && (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string text)
                {
                    lock (statements)
                    {
                        statements.Add(text);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        Assert.True(await action());
        root.Stop();
        lock (statements)
        {
            return [.. statements];
        }
    }
}
