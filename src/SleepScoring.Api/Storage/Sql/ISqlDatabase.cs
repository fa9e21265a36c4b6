using System.Data.Common;

namespace SleepScoring.Api.Storage.Sql;

/// <summary>
/// The service's database, whatever the provider: the stores open connections through it and
/// write the few provider-specific bits of their SQL through its <see cref="Dialect"/>.
/// </summary>
public interface ISqlDatabase
{
    /// <summary>How the provider spells what standard SQL leaves open.</summary>
    SqlDialect Dialect { get; }

    /// <summary>An open connection (pooled).</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Null when the database accepts a write now; otherwise why not (for /ready).</summary>
    Task<string?> WriteProblemAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies the provider's pending migrations (creating SQLite's file); how many this call applied.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);
}
