using FluentValidation;
using FluentValidation.Results;

using Microsoft.AspNetCore.Http.HttpResults;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Endpoints;

/// <summary>Body of <c>PUT …/epochs/{n}/stage</c>.</summary>
public sealed record StageCorrectionRequest(string Stage, string? Reason);

/// <summary>Body of <c>PUT …/stages</c>: several corrections applied together.</summary>
public sealed record StageBatchRequest(IReadOnlyList<StageBatchItem> Corrections);

/// <summary>One correction of a batch.</summary>
public sealed record StageBatchItem(int Epoch, string Stage, string? Reason);

/// <summary>Stage corrections by technicians and clinicians, with their audit.</summary>
public static class CorrectionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder study = app.MapGroup("/api/v1/studies/{id}").WithTags("Corrections").AddEndpointFilter<StudyAccessFilter>();
        study.MapPut("/epochs/{n:int}/stage", CorrectOneAsync).RequireAuthorization(Roles.Policies.Correct)
            .Produces<IReadOnlyList<CorrectionDto>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Set the scorer's stage of one epoch (W, N1, N2, N3, R, artefact, unscored, or a label the exports write: REM, Art, Uns, 3…) with an optional reason; audited.");
        study.MapPut("/stages", CorrectBatchAsync).RequireAuthorization(Roles.Policies.Correct)
            .Produces<IReadOnlyList<CorrectionDto>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Set the scorer's stage of several epochs at once (all or none); audited.");
        study.MapGet("/corrections", ListAsync).RequireAuthorization(Roles.Policies.Read)
            .Produces<IReadOnlyList<CorrectionDto>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The append-only correction audit of a study: who, when, old and new stage, reason.");
    }

    private static Task<Results<Ok<IReadOnlyList<CorrectionDto>>, ValidationProblem>> CorrectOneAsync(string id, int n, StageCorrectionRequest body, HttpContext http, IResultStore results, ICorrectionStore corrections, IValidator<StageBatchRequest> validator, CancellationToken cancellationToken) =>
        ApplyAsync(id, new StageBatchRequest([new StageBatchItem(n, body?.Stage!, body?.Reason)]), http, results, corrections, validator, cancellationToken);

    private static Task<Results<Ok<IReadOnlyList<CorrectionDto>>, ValidationProblem>> CorrectBatchAsync(string id, StageBatchRequest body, HttpContext http, IResultStore results, ICorrectionStore corrections, IValidator<StageBatchRequest> validator, CancellationToken cancellationToken) =>
        ApplyAsync(id, body, http, results, corrections, validator, cancellationToken);

    private static async Task<Results<Ok<IReadOnlyList<CorrectionDto>>, ValidationProblem>> ApplyAsync(string id, StageBatchRequest body, HttpContext http, IResultStore results, ICorrectionStore corrections, IValidator<StageBatchRequest> validator, CancellationToken cancellationToken)
    {
        ValidationResult validation = await validator.ValidateAsync(body, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return Problems.Validation(validation);
        }

        ScoredResult result = await ResultEndpoints.LoadAsync(id, results, cancellationToken).ConfigureAwait(false);
        if (body.Corrections.FirstOrDefault(c => c.Epoch >= result.Epochs.Count) is StageBatchItem outside)
        {
            throw new EpochOutOfRangeException(id, outside.Epoch, result.Epochs.Count);
        }

        StageChange[] changes = [.. body.Corrections.Select(c => new StageChange(c.Epoch, StageNames.Parse(c.Stage), c.Reason))];
        IReadOnlyList<Correction> written = await corrections.ApplyAsync(id, changes, http.User.KeyId(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<CorrectionDto>>([.. written.Select(CorrectionDto.From)]);
    }

    private static async Task<Ok<IReadOnlyList<CorrectionDto>>> ListAsync(string id, IStudyStore studies, ICorrectionStore corrections, CancellationToken cancellationToken)
    {
        _ = await studies.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new StudyNotFoundException(id);
        return TypedResults.Ok<IReadOnlyList<CorrectionDto>>([.. (await corrections.ListAsync(id, cancellationToken).ConfigureAwait(false)).Select(CorrectionDto.From)]);
    }
}

/// <summary>Validates corrections: known stage names, epochs ≥ 0, short reasons, at most 10 000 per batch.</summary>
public sealed class StageBatchRequestValidator : AbstractValidator<StageBatchRequest>
{
    public StageBatchRequestValidator()
    {
        RuleFor(b => b.Corrections).NotNull().NotEmpty().Must(c => c is null || c.Count <= 10_000).OverridePropertyName("corrections")
            .WithMessage("corrections must hold 1–10000 items");
        RuleForEach(b => b.Corrections).NotNull().OverridePropertyName("corrections").WithMessage("corrections must not hold null items");
        RuleForEach(b => b.Corrections).Where(i => i is not null).ChildRules(item =>
        {
            item.RuleFor(i => i.Epoch).GreaterThanOrEqualTo(0).OverridePropertyName("epoch");
            item.RuleFor(i => i.Stage).Must(s => StageNames.TryParse(s, out _)).OverridePropertyName("stage")
                .WithMessage($"stage must be one of {string.Join(", ", StageNames.All)} (or a label the exports write, e.g. REM, Art, Uns, 3, Sleep stage 2); got '{{PropertyValue}}'");
            item.RuleFor(i => i.Reason).MaximumLength(1000).OverridePropertyName("reason");
        }).OverridePropertyName("corrections");
        RuleFor(b => b.Corrections).Must(c => c is null || c.Where(i => i is not null).Select(i => i.Epoch).Distinct().Count() == c.Count(i => i is not null)).OverridePropertyName("corrections")
            .WithMessage("an epoch appears twice in the batch");
    }
}
