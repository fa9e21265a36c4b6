using SleepScoring.Api.Storage;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>
/// On a shared database a node frees only Idempotency-Keys taken before a cut-off (those of dead
/// nodes); the time a key was taken is the store's clock's (no waiting).
/// </summary>
public sealed class IdempotencyStoreTests : IAsyncLifetime
{
    private ClockedSqlite store = null!;
    private IIdempotencyStore keys = null!;

    public async Task InitializeAsync()
    {
        store = await ClockedSqlite.CreateAsync(new DateTimeOffset(2026, 12, 5, 4, 0, 0, TimeSpan.Zero));
        keys = new IdempotencyStore(store.Database, store.Clock);
    }

    public Task DisposeAsync()
    {
        store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OnlyKeysTakenBeforeTheCutOff_AreReleased()
    {
        Assert.IsType<IdempotencyClaim.Claimed>(await keys.ClaimAsync("key_1", "old", default));
        store.Clock.Advance(TimeSpan.FromHours(7));
        Assert.IsType<IdempotencyClaim.Claimed>(await keys.ClaimAsync("key_1", "recent", default));

        int released = await keys.ReleaseAbandonedAsync(store.Clock.GetUtcNow() - TimeSpan.FromHours(6), default);

        Assert.Equal(1, released);
        Assert.IsType<IdempotencyClaim.Claimed>(await keys.ClaimAsync("key_1", "old", default)); // free again
        Assert.IsType<IdempotencyClaim.InProgress>(await keys.ClaimAsync("key_1", "recent", default));
    }
}
