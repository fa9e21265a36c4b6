using Microsoft.Data.Sqlite;

using SleepScoring.Api.Storage;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>
/// On a shared database a node frees only Idempotency-Keys taken before a cut-off (those of dead
/// nodes); the time a key was taken is the store's clock's (no waiting).
/// </summary>
public sealed class IdempotencyStoreTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscoring-idempotency-").FullName;
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 12, 5, 4, 0, 0, TimeSpan.Zero));
    private IdempotencyStore keys = null!;

    public async Task InitializeAsync()
    {
        var database = new Database(Path.Combine(directory, "sleepscoring.db"), time: clock);
        await database.MigrateAsync();
        keys = new IdempotencyStore(database, clock);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OnlyKeysTakenBeforeTheCutOff_AreReleased()
    {
        Assert.IsType<IdempotencyClaim.Claimed>(await keys.ClaimAsync("key_1", "old", default));
        clock.Advance(TimeSpan.FromHours(7));
        Assert.IsType<IdempotencyClaim.Claimed>(await keys.ClaimAsync("key_1", "recent", default));

        int released = await keys.ReleaseAbandonedAsync(clock.GetUtcNow() - TimeSpan.FromHours(6), default);

        Assert.Equal(1, released);
        Assert.IsType<IdempotencyClaim.Claimed>(await keys.ClaimAsync("key_1", "old", default)); // free again
        Assert.IsType<IdempotencyClaim.InProgress>(await keys.ClaimAsync("key_1", "recent", default));
    }
}
