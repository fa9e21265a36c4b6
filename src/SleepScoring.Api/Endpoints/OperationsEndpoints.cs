using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

using Npgsql;

using SleepScoring.Api.Jobs;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.Sql;
using SleepScoring.Inference.Model;
using SleepScoring.Model;

namespace SleepScoring.Api.Endpoints;

/// <summary>Readiness of the service: database, storage and model, each with why not.</summary>
public sealed record ReadinessDto(bool Ready, bool Database, string? DatabaseProblem, bool Storage, string? StorageProblem, bool Model, string? ModelProblem, IReadOnlyDictionary<string, int> Jobs);

/// <summary><c>/health</c>, <c>/ready</c> and the model card.</summary>
public static class OperationsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthDto("healthy"))).AllowAnonymous().WithTags("Operations")
            .WithSummary("Liveness: the process answers.");
        app.MapGet("/ready", ReadyAsync).AllowAnonymous().WithTags("Operations").Produces<ReadinessDto>().Produces<ReadinessDto>(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Readiness: the database (SQLite file or PostgreSQL server) can be written, the data folder (shared by the nodes with PostgreSQL) can be written, a model is loaded (503 with the reasons otherwise).");
        app.MapGet("/api/v1/model", Model).RequireAuthorization(Roles.Policies.Read).WithTags("Model").Produces<ModelCard>().ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("The model card of the model that scores new studies.");
    }

    private static async Task<JsonHttpResult<ReadinessDto>> ReadyAsync(ISqlDatabase database, DataFolder folder, ModelProvider models, IJobStore jobs, CancellationToken cancellationToken)
    {
        string? databaseProblem = await database.WriteProblemAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, int> counts = new Dictionary<string, int>();
        if (databaseProblem is null)
        {
            try
            {
                counts = await jobs.CountsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                databaseProblem = $"the database cannot be read (SQLite code {e.SqliteErrorCode})";
            }
            catch (NpgsqlException e)
            {
                databaseProblem = $"the database cannot be read ({(e as PostgresException)?.SqlState ?? e.GetType().Name})";
            }
        }

        string? storageProblem = folder.WriteProblem();
        bool model = models.TryCheck();
        var body = new ReadinessDto(databaseProblem is null && storageProblem is null && model, databaseProblem is null, databaseProblem, storageProblem is null, storageProblem, model, models.Problem, counts);
        return TypedResults.Json(body, statusCode: body.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    // The card file as training wrote it (ModelCard, snake_case: the shape the schema above describes).
    private static Results<PhysicalFileHttpResult, ProblemHttpResult> Model(ModelProvider models) =>
        models.TryCheck()
            ? TypedResults.PhysicalFile(Path.Combine(models.Directory, ModelCard.FileName), "application/json")
            : TypedResults.Problem(title: "No model", detail: models.Problem, statusCode: StatusCodes.Status503ServiceUnavailable, type: "https://sleepscoring.example/problems/no-model");
}
