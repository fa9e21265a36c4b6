using Dapper;

using Microsoft.Data.Sqlite;

namespace SleepScoring.Api.Tests.Support;

/// <summary>Reads the service's database directly (a second reader beside the service, as WAL allows).</summary>
internal static class StoreQueries
{
    public static async Task<long> CountAsync(ApiFactory factory, string sql) => await CountAsync(factory.DataDirectory, sql);

    public static async Task<long> CountAsync(string dataDirectory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "sleepscoring.db")};Pooling=False");
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    public static async Task<T?> ScalarAsync<T>(string dataDirectory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "sleepscoring.db")};Pooling=False");
        return await connection.ExecuteScalarAsync<T>(sql);
    }

    /// <summary>One row of the data folder's SQLite database (e.g. into a tuple), read after the service stopped.</summary>
    public static async Task<T> RowAsync<T>(string dataDirectory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "sleepscoring.db")};Pooling=False");
        return await connection.QuerySingleAsync<T>(sql);
    }
}
