using System.Text.Json;

using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

using Npgsql;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Endpoints;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>Problems a client can act on: database faults (503 with Retry-After when waiting helps, 409 for a write race) and the study exceptions with their stable types.</summary>
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

    public static TheoryData<Exception, int, string, string> StudyProblems => new()
    {
        { new StudyNotFoundException("s1"), 404, "not-found", "study s1" },
        { new EpochOutOfRangeException("s1", 300, 255), 404, "not-found", "epoch 300 of study s1 (it has epochs 0–254)" },
        { new SignOffNotFoundException("s1"), 404, "not-found", "a sign-off of study s1 (it is not signed off)" },
        { new StudyNotScoredException("s1", StudyStatus.Scoring), 409, "not-scored", "study s1 is scoring; results exist once it is scored" },
        { new StudyNotFailedException("s1", StudyStatus.Scored), 409, "not-failed", "study s1 is scored; only a failed study is scored again" },
        { new AlreadySignedOffException("s1", "k1", "Dr A", "2026-01-02T03:04:05Z"), 409, "signed-off", "study s1 was signed off by Dr A (k1) at 2026-01-02T03:04:05Z" },
    };

    [Theory]
    [MemberData(nameof(StudyProblems))]
    public async Task StudyExceptions_AreProblems_WithTheirStableTypeStatusAndDetail(Exception exception, int status, string kind, string detail)
    {
        HttpContext http = await ExecuteAsync(exception);

        using JsonDocument body = JsonDocument.Parse(await BodyAsync(http));
        Assert.Equal(status, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal("https://sleepscoring.example/problems/" + kind, body.RootElement.GetProperty("type").GetString());
        Assert.Equal(detail, body.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AlreadySignedOff_NamesWhoSignedAndWhen()
    {
        HttpContext http = await ExecuteAsync(new AlreadySignedOffException("s1", "k1", "Dr A", "2026-01-02T03:04:05Z"));

        using JsonDocument body = JsonDocument.Parse(await BodyAsync(http));
        Assert.Equal(("k1", "2026-01-02T03:04:05Z"), (body.RootElement.GetProperty("signed_by").GetString(), body.RootElement.GetProperty("signed_at").GetString()));
    }

    [Fact]
    public async Task AnInvalidField_IsAValidationProblemNamingTheField()
    {
        HttpContext http = await ExecuteAsync(new InvalidFieldException("width", "width must be a whole number"));

        using JsonDocument body = JsonDocument.Parse(await BodyAsync(http));
        Assert.Equal(400, http.Response.StatusCode);
        Assert.Equal("https://sleepscoring.example/problems/validation", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("width must be a whole number", body.RootElement.GetProperty("errors").GetProperty("width")[0].GetString());
    }

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
