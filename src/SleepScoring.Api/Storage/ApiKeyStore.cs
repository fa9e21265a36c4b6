using Dapper;

using Microsoft.Data.Sqlite;

using SleepScoring.Api.Security;

namespace SleepScoring.Api.Storage;

/// <summary>A stored API key (never the key itself).</summary>
public sealed record ApiKeyRecord(string Id, string Name, string Role, string? CallbackSecret, string CreatedAt, string? RevokedAt);

/// <summary>A key as listed to admins: no secret of any kind.</summary>
public sealed record ApiKeySummary(string Id, string Name, string Role, string CreatedAt, string? RevokedAt);

/// <summary>A key as issued: the secret is shown once and not stored.</summary>
public sealed record IssuedKey(string Id, string Name, string Role, string Key, string? CallbackSecret);

/// <summary>Issues, finds and revokes API keys in the <c>api_keys</c> table.</summary>
public sealed class ApiKeyStore(Database database)
{
    /// <summary>Issues a key; integration keys also get a callback secret.</summary>
    public Task<IssuedKey> IssueAsync(string name, string role, CancellationToken cancellationToken = default) =>
        InsertAsync(name, role, ApiKeySecret.NewKey(), cancellationToken);

    /// <summary>Makes sure a key with this secret exists (the configured bootstrap admin key).</summary>
    public async Task EnsureAsync(string name, string role, string key, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        bool exists = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE key_sha256 = @hash", new { hash = ApiKeySecret.Hash(key) }).ConfigureAwait(false) > 0;
        if (!exists)
        {
            await InsertAsync(name, role, key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The active key with this secret, or null.</summary>
    public async Task<ApiKeyRecord?> FindActiveAsync(string key, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<ApiKeyRecord>(
            "SELECT id, name, role, callback_secret AS CallbackSecret, created_at AS CreatedAt, revoked_at AS RevokedAt FROM api_keys WHERE key_sha256 = @hash AND revoked_at IS NULL",
            new { hash = ApiKeySecret.Hash(key) }).ConfigureAwait(false);
    }

    /// <summary>The key with this id (active or revoked), or null.</summary>
    public async Task<ApiKeyRecord?> FindByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<ApiKeyRecord>(
            "SELECT id, name, role, callback_secret AS CallbackSecret, created_at AS CreatedAt, revoked_at AS RevokedAt FROM api_keys WHERE id = @id",
            new { id }).ConfigureAwait(false);
    }

    /// <summary>All keys, newest first.</summary>
    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await c.QueryAsync<ApiKeySummary>(
            "SELECT id, name, role, created_at AS CreatedAt, revoked_at AS RevokedAt FROM api_keys ORDER BY created_at DESC").ConfigureAwait(false)];
    }

    /// <summary>Revokes the key; false when no active key has this id.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync("UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", new { id, at = Clock.Now() }).ConfigureAwait(false) == 1;
    }

    private async Task<IssuedKey> InsertAsync(string name, string role, string key, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"role '{role}' is not one of {string.Join(", ", Roles.All)}", nameof(role));
        }

        var issued = new IssuedKey(ApiKeySecret.NewId(), name, role, key, role == Roles.Integration ? ApiKeySecret.NewCallbackSecret() : null);
        await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(
            "INSERT INTO api_keys (id, name, role, key_sha256, callback_secret, created_at) VALUES (@Id, @Name, @Role, @hash, @CallbackSecret, @at)",
            new { issued.Id, issued.Name, issued.Role, hash = ApiKeySecret.Hash(key), issued.CallbackSecret, at = Clock.Now() }).ConfigureAwait(false);
        return issued;
    }
}
