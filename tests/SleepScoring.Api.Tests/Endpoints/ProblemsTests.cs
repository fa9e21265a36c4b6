using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

using Npgsql;

using SleepScoring.Api.Endpoints;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>Database faults a request can meet become problems a client can act on: 503 with Retry-After when waiting helps, 409 for a write race.</summary>
public sealed class ProblemsTests
{
    [Theory]
    [InlineData("40001", 503, "database-busy", "2")] // serialization failure
    [InlineData("40P01", 503, "database-busy", "2")] // deadlock
    [InlineData("53300", 503, "database-busy", "2")] // too many connections
    [InlineData("57P01", 503, "database-busy", "2")] // the server shuts down
    [InlineData("53100", 503, "storage-unavailable", "30")] // disk full
    [InlineData("23505", 409, "concurrent-write", "1")] // unique violation
    public async Task PostgreSqlErrors_AreProblems_WithRetryAfter(string sqlState, int status, string kind, string retryAfter)
    {
        HttpContext http = await ExecuteAsync(new PostgresException("message", "ERROR", "ERROR", sqlState));

        Assert.Equal((status, retryAfter), (http.Response.StatusCode, http.Response.Headers.RetryAfter.ToString()));
        Assert.Contains($"problems/{kind}", await BodyAsync(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableServer_Is503_AndSqliteBusyStaysAsItWas()
    {
        HttpContext unreachable = await ExecuteAsync(new NpgsqlException("connection refused"));
        HttpContext busy = await ExecuteAsync(new SqliteException("database is locked", 5));

        Assert.Equal((503, "30"), (unreachable.Response.StatusCode, unreachable.Response.Headers.RetryAfter.ToString()));
        Assert.Equal((503, "2"), (busy.Response.StatusCode, busy.Response.Headers.RetryAfter.ToString()));
    }

    [Fact]
    public void OtherPostgreSqlErrors_AreNotTheClientsProblem() =>
        Assert.Null(Problems.FromException(new PostgresException("syntax error", "ERROR", "ERROR", "42601")));

    private static async Task<HttpContext> ExecuteAsync(Exception exception)
    {
        IResult problem = Problems.FromException(exception) ?? throw new InvalidOperationException($"{exception.GetType().Name} is not mapped");
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        await problem.ExecuteAsync(http);
        return http;
    }

    private static async Task<string> BodyAsync(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return await new StreamReader(http.Response.Body).ReadToEndAsync();
    }
}
