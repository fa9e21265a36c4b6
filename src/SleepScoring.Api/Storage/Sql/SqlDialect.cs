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
    /// <paramref name="column"/> is one of the list parameter <paramref name="parameter"/> (Dapper expands a
    /// list into a parameter each for SQLite, and passes it to Npgsql as one array).
    /// </summary>
    public abstract string IsIn(string column, string parameter);

    private sealed class SqliteDialect : SqlDialect
    {
        public override string SkipLocked => string.Empty;

        public override string Greatest(string left, string right) => $"MAX({left}, {right})";

        public override string IsIn(string column, string parameter) => $"{column} IN {parameter}";
    }

    private sealed class PostgreSqlDialect : SqlDialect
    {
        public override string SkipLocked => "FOR UPDATE SKIP LOCKED";

        public override string Greatest(string left, string right) => $"GREATEST({left}, {right})";

        public override string IsIn(string column, string parameter) => $"{column} = ANY({parameter})";
    }
}
