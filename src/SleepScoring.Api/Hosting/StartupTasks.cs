using Microsoft.Extensions.Options;

using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Hosting;

/// <summary>
/// Runs before any other hosted service starts (and so before the worker claims a job): locks the
/// data folder (SQLite: one process per folder), removes half-received uploads of a dead process,
/// applies the SQL migrations (PostgreSQL: once, whichever node comes first), frees the
/// Idempotency-Keys a dead process held and makes sure the configured bootstrap admin key exists.
/// </summary>
public sealed class StartupTasks(DataFolder folder, ISqlDatabase database, IOptions<DatabaseOptions> provider, IApiKeyStore keys, IIdempotencyStore idempotency, IOptions<SecurityOptions> security, TimeProvider time, ILogger<StartupTasks> logger) : IHostedLifecycleService
{
    /// <summary>Longer than any upload takes: an upload file or Idempotency-Key untouched this long on a shared database belongs to a dead node.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(6);

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        bool shared = provider.Value.Provider == DatabaseProvider.PostgreSql;
        if (!shared)
        {
            folder.Lock();
        }

        folder.ClearIncoming(shared ? time.GetUtcNow() - AbandonedAfter : null);
        int applied = await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Data folder {DataFolder}, database {Provider}: {Applied} migration(s) applied", folder.Root, provider.Value.Provider, applied);
        int released = await idempotency.ReleaseAbandonedAsync(shared ? time.GetUtcNow() - AbandonedAfter : null, cancellationToken).ConfigureAwait(false);
        if (released > 0)
        {
            logger.LogWarning("Released {Keys} Idempotency-Key(s) a previous process was processing", released);
        }

        if (database is Database sqlite)
        {
            foreach (string file in new[] { sqlite.Path, sqlite.Path + "-wal", sqlite.Path + "-shm" })
            {
                OwnerOnly.RestrictFile(file); // a database made before files were owner-only
            }
        }

        if (!string.IsNullOrEmpty(security.Value.BootstrapAdminKey))
        {
            BootstrapOutcome bootstrap = await keys.EnsureBootstrapAsync(security.Value.BootstrapAdminKey, cancellationToken).ConfigureAwait(false);
            if (bootstrap.WasRevoked)
            {
                logger.LogError("The configured bootstrap admin key ({KeyId}) was revoked and stays revoked: configure a new one", bootstrap.Id);
            }
            else if (bootstrap.Added || bootstrap.Revoked > 0)
            {
                logger.LogInformation("Bootstrap admin key {KeyId} {Outcome}; {Revoked} earlier bootstrap key(s) revoked", bootstrap.Id, bootstrap.Added ? "added" : "kept", bootstrap.Revoked);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
