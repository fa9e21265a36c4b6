using System.Data.Common;

using Dapper;

namespace SleepScoring.Api.Storage.Sql;

/// <summary>
/// What SQLite and PostgreSQL spell differently in the stores' SQL, and nothing more: everything else
/// (RETURNING, ON CONFLICT, LIMIT, ISO 8601 text times) is written once for both.
/// </summary>
public abstract class SqlDialect
{
    public static SqlDialect Sqlite { get; } = new SqliteDialect();

    public static SqlDialect PostgreSql { get; } = new PostgreSqlDialect();

    /// <summary>The larger of two values (SQLite's two-argument <c>MAX</c> is PostgreSQL's <c>GREATEST</c>).</summary>
    public abstract string Greatest(string left, string right);

    /// <summary>
    /// The suffix of a sub-select that picks rows to claim: PostgreSQL locks them and skips rows another
    /// transaction holds, so many nodes claim different rows at once; SQLite has one writer and needs none.
    /// </summary>
    public abstract string SkipLocked { get; }

    /// <summary>
    /// Whether a .NET array is bound as one array parameter (Npgsql), so a statement can take a column
    /// of many rows at once (<c>unnest</c>); SQLite has no array type.
    /// </summary>
    public abstract bool BindsArrays { get; }

    /// <summary>
    /// <paramref name="column"/> is one of the list parameter <paramref name="parameter"/> (Dapper expands a
    /// list into a parameter each for SQLite, and passes it to Npgsql as one array).
    /// </summary>
    public abstract string IsIn(string column, string parameter);

    /// <summary>
    /// Run first in a transaction: makes the transactions that pass the same <paramref name="key"/>
    /// run one after another (a read-then-insert cannot miss a concurrent one). SQLite's transactions
    /// already do (one writer, taken at BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped
    /// advisory lock on the key's hash.
    /// </summary>
    public Task SerializeAsync(DbConnection connection, DbTransaction transaction, string key) =>
        Serialize("@key") is string statement ? connection.ExecuteAsync(statement, new { key }, transaction) : Task.CompletedTask;

    /// <summary>The statement of <see cref="SerializeAsync"/>, or null when none is needed.</summary>
    protected abstract string? Serialize(string lockParameter);

    private sealed class SqliteDialect : SqlDialect
    {
        public override string SkipLocked => string.Empty;

        public override bool BindsArrays => false;

        public override string Greatest(string left, string right) => $"MAX({left}, {right})";

        public override string IsIn(string column, string parameter) => $"{column} IN {parameter}";

        protected override string? Serialize(string lockParameter) => null;
    }

    private sealed class PostgreSqlDialect : SqlDialect
    {
        public override string SkipLocked => "FOR UPDATE SKIP LOCKED";

        public override bool BindsArrays => true;

        public override string Greatest(string left, string right) => $"GREATEST({left}, {right})";

        public override string IsIn(string column, string parameter) => $"{column} = ANY({parameter})";

        protected override string? Serialize(string lockParameter) => $"SELECT pg_advisory_xact_lock(hashtextextended({lockParameter}, 0))";
    }
}
