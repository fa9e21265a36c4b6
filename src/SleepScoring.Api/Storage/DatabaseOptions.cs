using Microsoft.Extensions.Options;

namespace SleepScoring.Api.Storage;

/// <summary>Which database holds studies, jobs and keys.</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file in the data folder, one service process.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server shared by any number of service nodes.</summary>
    PostgreSql,
}

/// <summary>The <c>Database</c> configuration section (<c>Database__Provider</c>, <c>Database__ConnectionString</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL only (an Npgsql connection string); SQLite's file is always the data folder's <c>sleepscoring.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The configuration problem, naming the setting, or null when the options are usable.</summary>
    public string? Problem() => Provider switch
    {
        DatabaseProvider.PostgreSql when string.IsNullOrWhiteSpace(ConnectionString) =>
            "Database:ConnectionString is required when Database:Provider is PostgreSql",
        DatabaseProvider.Sqlite when !string.IsNullOrWhiteSpace(ConnectionString) =>
            "Database:ConnectionString is for PostgreSql only; SQLite always uses sleepscoring.db in Storage:DataDirectory",
        DatabaseProvider.Sqlite or DatabaseProvider.PostgreSql => null,
        _ => $"Database:Provider '{Provider}' is not Sqlite or PostgreSql",
    };
}

/// <summary>Refuses to start with database settings that do not fit together, naming the setting.</summary>
public sealed class DatabaseOptionsRule : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Problem() is string problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
