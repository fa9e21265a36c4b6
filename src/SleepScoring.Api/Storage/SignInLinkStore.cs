using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;

using Dapper;

using SleepScoring.Api.Security;
using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;

/// <summary>One-time sign-in links of the first start (see <see cref="SignInLinkStore"/>).</summary>
public interface ISignInLinkStore
{
    /// <summary>What a starting node prints about the first-start link (see <see cref="SignInLinkStore.CreateForFirstStartAsync"/>); null when a key exists.</summary>
    Task<FirstStartLink?> CreateForFirstStartAsync(bool keepLiveLink, CancellationToken cancellationToken);

    /// <summary>A new token (the only copy: it is not stored); earlier unused links stop working.</summary>
    Task<string> CreateAsync(CancellationToken cancellationToken);

    /// <summary>Spends the token on a new admin key; null when the token is unknown, used or expired.</summary>
    Task<IssuedKey?> RedeemAsync(string token, CancellationToken cancellationToken);
}

/// <summary>A starting node's first-start link: the new <paramref name="Token"/> to print, or the expiry of the link another node printed.</summary>
public sealed record FirstStartLink(string? Token, DateTimeOffset? PrintedElsewhereUntil);

/// <summary>
/// One-time sign-in links for the first start: a random 256-bit token whose SHA-256 alone is
/// stored, valid for <see cref="Lifetime"/>, exchanged at most once for a new admin key.
/// </summary>
public sealed class SignInLinkStore(ISqlDatabase database, IApiKeyStore keys, TimeProvider time) : ISignInLinkStore
{
    /// <summary>How long a printed link works.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>A new token (the only copy: it is not stored); earlier unused links stop working.</summary>
    public async Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        string token = await InsertAsync(c, tx, time.GetUtcNow()).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>
    /// The first-start decision of a starting node, made by one node at a time: nothing when a key
    /// exists; when <paramref name="keepLiveLink"/> (nodes sharing the database start together) and
    /// another node's link still works, that link's expiry, so only that node prints a link (a new
    /// one would retire the printed one, and each node would print a link only the last works with);
    /// otherwise a new token, retiring earlier links (one process: a restart prints a fresh link).
    /// </summary>
    public async Task<FirstStartLink?> CreateForFirstStartAsync(bool keepLiveLink, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await database.Dialect.SerializeAsync(c, tx, "first-start-sign-in").ConfigureAwait(false);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys", transaction: tx).ConfigureAwait(false) > 0)
        {
            return null;
        }

        string? live = keepLiveLink
            ? await c.ExecuteScalarAsync<string?>("SELECT MAX(expires_at) FROM sign_in_links WHERE used_at IS NULL AND expires_at > @now", new { now = StoredTime.Format(now) }, tx).ConfigureAwait(false)
            : null;
        if (live is not null)
        {
            return new FirstStartLink(null, DateTimeOffset.Parse(live, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        }

        string token = await InsertAsync(c, tx, now).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new FirstStartLink(token, null);
    }

    private static async Task<string> InsertAsync(DbConnection c, DbTransaction tx, DateTimeOffset now)
    {
        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await c.ExecuteAsync("UPDATE sign_in_links SET expires_at = @now WHERE used_at IS NULL AND expires_at > @now", new { now = StoredTime.Format(now) }, tx).ConfigureAwait(false);
        await c.ExecuteAsync(
            "INSERT INTO sign_in_links (token_sha256, created_at, expires_at) VALUES (@hash, @at, @expires)",
            new { hash = ApiKeySecret.Hash(token), at = StoredTime.Format(now), expires = StoredTime.Format(now + Lifetime) },
            tx).ConfigureAwait(false);
        return token;
    }

    /// <summary>Spends the token on a new admin key; null when the token is unknown, used or expired.</summary>
    public async Task<IssuedKey?> RedeemAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        string now = StoredTime.Format(time.GetUtcNow());
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One statement marks the link used, so two redeemers cannot both win.
        int claimed = await c.ExecuteAsync(
            "UPDATE sign_in_links SET used_at = @now WHERE token_sha256 = @hash AND used_at IS NULL AND expires_at > @now",
            new { hash = ApiKeySecret.Hash(token), now }).ConfigureAwait(false);
        if (claimed == 0)
        {
            return null;
        }

        IssuedKey key = await keys.IssueAsync("first admin (sign-in link)", Roles.Admin, cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync("UPDATE sign_in_links SET key_id = @id WHERE token_sha256 = @hash", new { id = key.Id, hash = ApiKeySecret.Hash(token) }).ConfigureAwait(false);
        return key;
    }
}
