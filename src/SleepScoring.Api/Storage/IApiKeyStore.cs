using SleepScoring.Api.Domain;

namespace SleepScoring.Api.Storage;

/// <summary>The API keys: issued, looked up by secret or id, listed, revoked, and the configured bootstrap key kept the only active one.</summary>
public interface IApiKeyStore
{
    /// <summary>Issues a key; integration keys also get a callback secret.</summary>
    Task<IssuedKey> IssueAsync(string name, string role, CancellationToken cancellationToken = default);

    /// <summary>Makes the configured bootstrap admin key the only active bootstrap key (a revoked one stays revoked).</summary>
    Task<BootstrapOutcome> EnsureBootstrapAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The active key with this secret, or null.</summary>
    Task<ApiKey?> FindActiveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The key with this id (active or revoked), or null.</summary>
    Task<ApiKey?> FindByIdAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>All keys, newest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The name of every key ever issued (revoked ones too), by id.</summary>
    Task<IReadOnlyDictionary<string, string>> NamesAsync(CancellationToken cancellationToken = default);

    /// <summary>Revokes the key; false when no active key has this id.</summary>
    Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default);
}
