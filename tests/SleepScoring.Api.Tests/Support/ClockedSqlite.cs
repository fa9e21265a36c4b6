using Microsoft.Data.Sqlite;

using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Tests.Support;

/// <summary>A migrated SQLite database in a temporary folder whose stores run on a <see cref="ManualClock"/>.</summary>
internal sealed class ClockedSqlite : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-store-").FullName;

    private ClockedSqlite(DateTimeOffset start)
    {
        Clock = new ManualClock(start);
        Database = new Database(Path.Combine(directory, "sleepscoring.db"), time: Clock);
    }

    public ManualClock Clock { get; }

    public Database Database { get; }

    public static async Task<ClockedSqlite> CreateAsync(DateTimeOffset start)
    {
        var created = new ClockedSqlite(start);
        await created.Database.MigrateAsync();
        return created;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
