using Microsoft.Extensions.Options;

using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Hosting;

/// <summary>
/// Runs before any other hosted service starts (and so before the worker claims a job): locks the
/// data folder, removes half-received uploads of a dead process, applies the SQL migrations, frees
/// the Idempotency-Keys a dead process held and makes sure the configured bootstrap admin key exists.
/// </summary>
public sealed class StartupTasks(DataFolder folder, Database database, ApiKeyStore keys, IdempotencyStore idempotency, IOptions<SecurityOptions> security, ILogger<StartupTasks> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        folder.Lock();
        folder.ClearIncoming();
        int applied = await Migrator.MigrateAsync(database, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Data folder {DataFolder}: {Applied} migration(s) applied", folder.Root, applied);
        int released = await idempotency.ReleaseAbandonedAsync(cancellationToken).ConfigureAwait(false);
        if (released > 0)
        {
            logger.LogWarning("Released {Keys} Idempotency-Key(s) a previous process was processing", released);
        }

        foreach (string file in new[] { database.Path, database.Path + "-wal", database.Path + "-shm" })
        {
            OwnerOnly.RestrictFile(file); // a database made before files were owner-only
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
