using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>Sign-in links expire after <see cref="SignInLinkStore.Lifetime"/> on the store's clock (no waiting).</summary>
public sealed class SignInLinkStoreTests : IAsyncLifetime
{
    private ClockedSqlite store = null!;
    private SignInLinkStore links = null!;

    public async Task InitializeAsync()
    {
        store = await ClockedSqlite.CreateAsync(new DateTimeOffset(2026, 12, 5, 4, 0, 0, TimeSpan.Zero));
        links = new SignInLinkStore(store.Database, new ApiKeyStore(store.Database, store.Clock), store.Clock);
    }

    public Task DisposeAsync()
    {
        store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ALink_WorksUntilItsLifetimeEnds()
    {
        string token = await links.CreateAsync(default);

        store.Clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));

        Assert.Equal(Roles.Admin, (await links.RedeemAsync(token, default))?.Role);
        Assert.Null(await links.CreateForFirstStartAsync(keepLiveLink: true, default)); // a key exists now
    }

    [Fact]
    public async Task ALink_IsRefusedOnceItsLifetimeHasPassed()
    {
        string token = await links.CreateAsync(default);

        store.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        Assert.Null(await links.RedeemAsync(token, default));
        Assert.NotNull((await links.CreateForFirstStartAsync(keepLiveLink: true, default))?.Token); // no live link is left to keep
    }
}
