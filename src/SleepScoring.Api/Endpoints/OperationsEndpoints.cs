using Dapper;

using Microsoft.Data.Sqlite;

using SleepScoring.Api.Jobs;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;
using SleepScoring.Inference.Model;

namespace SleepScoring.Api.Endpoints;

/// <summary>Readiness of the service: database and model.</summary>
public sealed record ReadinessDto(bool Ready, bool Database, bool Model, string? ModelProblem, IReadOnlyDictionary<string, int> Jobs);

/// <summary><c>/health</c>, <c>/ready</c> and the model card.</summary>
public static class OperationsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "healthy" })).AllowAnonymous().WithTags("Operations")
            .WithSummary("Liveness: the process answers.");
        app.MapGet("/ready", ReadyAsync).AllowAnonymous().WithTags("Operations").Produces<ReadinessDto>().Produces<ReadinessDto>(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Readiness: the database answers and a model is loaded (503 with the reason otherwise).");
        app.MapGet("/api/v1/model", Model).RequireAuthorization(Roles.Policies.Read).WithTags("Model").Produces(StatusCodes.Status200OK, typeof(object), "application/json").ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("The model card of the model that scores new studies.");
    }

    private static async Task<IResult> ReadyAsync(Database database, ModelProvider models, JobStore jobs, CancellationToken cancellationToken)
    {
        bool db;
        IReadOnlyDictionary<string, int> counts = new Dictionary<string, int>();
        try
        {
            await using SqliteConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            db = await c.ExecuteScalarAsync<long>("SELECT 1").ConfigureAwait(false) == 1;
            counts = await jobs.CountsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            db = false;
        }

        bool model = models.TryCheck();
        var body = new ReadinessDto(db && model, db, model, models.Problem, counts);
        return Results.Json(body, statusCode: body.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Model(ModelProvider models) =>
        models.TryCheck()
            ? Results.File(Path.Combine(models.Directory, ModelCard.FileName), "application/json")
            : Results.Problem(title: "No model", detail: models.Problem, statusCode: StatusCodes.Status503ServiceUnavailable, type: "https://sleepscoring.example/problems/no-model");
}
