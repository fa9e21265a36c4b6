using System.Data.Common;

using Dapper;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;


/// <summary>What <see cref="ApiKeyStore.EnsureBootstrapAsync"/> did: the key's id, whether it was added, how many earlier bootstrap keys it revoked, and whether the configured key had been revoked.</summary>
public sealed record BootstrapOutcome(string Id, bool Added, int Revoked, bool WasRevoked);

/// <summary>A key as issued: the secret is shown once and not stored.</summary>
public sealed record IssuedKey(string Id, string Name, string Role, string Key, string? CallbackSecret);

/// <summary>Issues, finds and revokes API keys in the <c>api_keys</c> table.</summary>
public sealed class ApiKeyStore(ISqlDatabase database, TimeProvider time) : IApiKeyStore
{
    private const string Columns = "id AS Id, name AS Name, role AS Role, callback_secret AS CallbackSecret, created_at AS CreatedAt, revoked_at AS RevokedAt";

    private string Now => StoredTime.Format(time.GetUtcNow());

    /// <summary>Issues a key; integration keys also get a callback secret.</summary>
    public Task<IssuedKey> IssueAsync(string name, string role, CancellationToken cancellationToken = default) =>
        InsertAsync(name, role, ApiKeySecret.NewKey(), cancellationToken);

    /// <summary>
    /// Makes the configured bootstrap admin key the only active bootstrap key: it is added when new,
    /// and every other bootstrap key is revoked (a changed configuration must not leave the old key
    /// valid). A configured key that was revoked stays revoked; the result says so.
    /// </summary>
    public async Task<BootstrapOutcome> EnsureBootstrapAsync(string key, CancellationToken cancellationToken = default)
    {
        string hash = ApiKeySecret.Hash(key);
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await database.Dialect.SerializeAsync(c, tx, "bootstrap-key").ConfigureAwait(false); // nodes starting together
        (string Id, string? RevokedAt)? existing = await c.QueryFirstOrDefaultAsync<(string, string?)?>(
            "SELECT id, revoked_at FROM api_keys WHERE key_sha256 = @hash", new { hash }, tx).ConfigureAwait(false);
        if (existing is { RevokedAt: not null })
        {
            return new BootstrapOutcome(existing.Value.Id, Added: false, Revoked: 0, WasRevoked: true);
        }

        string id = existing?.Id ?? ApiKeySecret.NewId();
        if (existing is null)
        {
            await c.ExecuteAsync(
                "INSERT INTO api_keys (id, name, role, key_sha256, created_at, bootstrap) VALUES (@id, 'bootstrap', @role, @hash, @at, TRUE)",
                new { id, role = Roles.Admin, hash, at = Now },
                tx).ConfigureAwait(false);
        }

        int revoked = await c.ExecuteAsync(
            "UPDATE api_keys SET revoked_at = @at WHERE bootstrap = TRUE AND revoked_at IS NULL AND id <> @id",
            new { id, at = Now },
            tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new BootstrapOutcome(id, Added: existing is null, revoked, WasRevoked: false);
    }

    /// <summary>The active key with this secret, or null.</summary>
    public async Task<ApiKey?> FindActiveAsync(string key, CancellationToken cancellationToken = default)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QuerySingleOrDefaultAsync<ApiKeyRow>(
            $"SELECT {Columns} FROM api_keys WHERE key_sha256 = @hash AND revoked_at IS NULL",
            new { hash = ApiKeySecret.Hash(key) }).ConfigureAwait(false))?.ToApiKey();
    }

    /// <summary>The key with this id (active or revoked), or null.</summary>
    public async Task<ApiKey?> FindByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QuerySingleOrDefaultAsync<ApiKeyRow>($"SELECT {Columns} FROM api_keys WHERE id = @id", new { id }).ConfigureAwait(false))?.ToApiKey();
    }

    /// <summary>All keys, newest first.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. (await c.QueryAsync<ApiKeyRow>($"SELECT {Columns} FROM api_keys ORDER BY created_at DESC").ConfigureAwait(false)).Select(r => r.ToApiKey())];
    }

    /// <summary>The name of every key ever issued (revoked ones too), by id: the audit names who did what.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<(string Id, string Name)>("SELECT id, name FROM api_keys").ConfigureAwait(false)).ToDictionary(k => k.Id, k => k.Name);
    }

    /// <summary>Revokes the key; false when no active key has this id.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync("UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", new { id, at = Now }).ConfigureAwait(false) == 1;
    }

    private async Task<IssuedKey> InsertAsync(string name, string role, string key, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"role '{role}' is not one of {string.Join(", ", Roles.All)}", nameof(role));
        }

        var issued = new IssuedKey(ApiKeySecret.NewId(), name, role, key, role == Roles.Integration ? ApiKeySecret.NewCallbackSecret() : null);
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(
            "INSERT INTO api_keys (id, name, role, key_sha256, callback_secret, created_at) VALUES (@Id, @Name, @Role, @hash, @CallbackSecret, @at)",
            new { issued.Id, issued.Name, issued.Role, hash = ApiKeySecret.Hash(key), issued.CallbackSecret, at = Now }).ConfigureAwait(false);
        return issued;
    }

    /// <summary>A row of <c>api_keys</c> as stored (without the key's hash).</summary>
    private sealed record ApiKeyRow(string Id, string Name, string Role, string? CallbackSecret, string CreatedAt, string? RevokedAt)
    {
        public ApiKey ToApiKey() => new(Id, Name, Role, CallbackSecret, StoredTime.Parse(CreatedAt) ?? DateTimeOffset.UnixEpoch, RevokedAt is null ? null : StoredTime.Parse(RevokedAt) ?? DateTimeOffset.UnixEpoch);
    }
}
