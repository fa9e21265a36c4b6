using System.Globalization;

using FluentValidation;
using FluentValidation.Results;

using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Hosting;
using SleepScoring.Api.Ingest;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Endpoints;

/// <summary><c>/api/v1/studies</c>: upload, list, read, delete.</summary>
public static class StudyEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder studies = app.MapGroup("/api/v1/studies").WithTags("Studies");
        studies.MapPost("/", UploadEndpoint.HandleAsync)
            .RequireAuthorization(Roles.Policies.Upload)
            .Accepts<Stream>("application/octet-stream", "multipart/form-data")
            .Produces<StudyDto>(StatusCodes.Status202Accepted)
            .Produces<StudyDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Upload a study (EDF/EDF+/BDF) as multipart/form-data (part 'file') or application/octet-stream; metadata in form fields or the query: map, lights_off, lights_on, callback_url, deidentify.")
            .AddOpenApiOperationTransformer(UploadParameters.DescribeAsync)
            .DisableAntiforgery();
        studies.MapGet("/", ListAsync).RequireAuthorization(Roles.Policies.Read).Produces<StudyPageDto>().ProducesValidationProblem()
            .WithSummary("List studies, newest first; filter by status, upload time, label (part of it) and sign-off (signed=true|false). Integration keys see only their own uploads.");
        studies.MapGet("/{id}", GetAsync).RequireAuthorization(Roles.Policies.Read).AddEndpointFilter<StudyAccessFilter>().Produces<StudyDto>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A study: status, progress, metadata, warnings, model version.");
        studies.MapPost("/{id}/rescore", RescoreAsync).RequireAuthorization(Roles.Policies.Rescore).AddEndpointFilter<StudyAccessFilter>()
            .Produces<StudyDto>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Queue a failed study for scoring again (its attempts start from zero). Technicians and admins.");
        studies.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Roles.Policies.Admin).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Delete a study with its files (the correction audit is kept).");
    }

    private static async Task<Results<Ok<StudyPageDto>, ValidationProblem>> ListAsync([AsParameters] StudyListParameters query, HttpContext http, IStudyStore store, IValidator<StudyListRequest> validator, CancellationToken cancellationToken)
    {
        StudyListRequest request = query.ToRequest();
        ValidationResult validation = await validator.ValidateAsync(request, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return Problems.Validation(validation);
        }

        StudyPage found = await store.ListAsync(new StudyQuery(StudyStatusText.TryParse(request.Status, out StudyStatus wanted) ? wanted : null, StudyListRequest.Time(request.UploadedFrom), StudyListRequest.Time(request.UploadedTo), request.Page, request.PageSize, http.User.IsInRole(Roles.Integration) ? http.User.KeyId() : null)
        {
            Label = string.IsNullOrWhiteSpace(request.Label) ? null : request.Label.Trim(),
            Signed = request.Signed is null ? null : bool.Parse(request.Signed),
        },
            cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new StudyPageDto([.. found.Items.Select(StudyDto.From)], request.Page, request.PageSize, found.Total));
    }

    private static async Task<Ok<StudyDto>> GetAsync(string id, IStudyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(StudyDto.From(await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new StudyNotFoundException(id)));

    private static async Task<Accepted<StudyDto>> RescoreAsync(string id, IStudyStore store, IJobStore jobs, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        Study study = await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new StudyNotFoundException(id);
        if (!await jobs.RequeueFailedAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new StudyNotFailedException(id, study.Status);
        }

        logs.CreateLogger(typeof(StudyEndpoints)).LogInformation("Study {StudyId} queued again for scoring", id);
        Study queued = (await store.GetAsync(id, cancellationToken).ConfigureAwait(false))!;
        return TypedResults.Accepted($"/api/v1/studies/{id}", StudyDto.From(queued));
    }

    private static async Task<NoContent> DeleteAsync(string id, IStudyStore store, DataFolder folder, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new StudyNotFoundException(id);
        }

        string directory = folder.StudyDirectory(id);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        logs.CreateLogger(typeof(StudyEndpoints)).LogInformation("Study {StudyId} deleted with its files", id);
        return TypedResults.NoContent();
    }
}

/// <summary>The query of <c>GET /api/v1/studies</c> as sent (text, so that a bad value is named by the validator, not refused by binding).</summary>
public sealed record StudyListParameters(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "uploaded_from")] string? UploadedFrom,
    [FromQuery(Name = "uploaded_to")] string? UploadedTo,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "page_size")] int? PageSize,
    [FromQuery(Name = "label")] string? Label,
    [FromQuery(Name = "signed")] string? Signed)
{
    public StudyListRequest ToRequest() => new(Status, UploadedFrom, UploadedTo, Page ?? 1, PageSize ?? 50) { Label = Label, Signed = Signed };
}

/// <summary>Query of <c>GET /api/v1/studies</c>.</summary>
public sealed record StudyListRequest(string? Status, string? UploadedFrom, string? UploadedTo, int Page, int PageSize)
{
    /// <summary>Part of the label to find (case-insensitive).</summary>
    public string? Label { get; init; }

    /// <summary><c>true</c>: signed-off studies only; <c>false</c>: not signed off.</summary>
    public string? Signed { get; init; }

    internal static DateTime? Time(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t) ? t : null;
}

/// <summary>Validates the list query; messages name the parameter.</summary>
public sealed class StudyListRequestValidator : AbstractValidator<StudyListRequest>
{
    public StudyListRequestValidator()
    {
        RuleFor(r => r.Status).Must(s => s is null || StudyStatusText.All.Contains(s)).OverridePropertyName("status")
            .WithMessage($"status must be one of {string.Join(", ", StudyStatusText.All)}; got '{{PropertyValue}}'");
        RuleFor(r => r.UploadedFrom).Must(t => t is null || StudyListRequest.Time(t) is not null).OverridePropertyName("uploaded_from")
            .WithMessage("uploaded_from must be an ISO 8601 date or time; got '{PropertyValue}'");
        RuleFor(r => r.UploadedTo).Must(t => t is null || StudyListRequest.Time(t) is not null).OverridePropertyName("uploaded_to")
            .WithMessage("uploaded_to must be an ISO 8601 date or time; got '{PropertyValue}'");
        RuleFor(r => r.Page).GreaterThanOrEqualTo(1).OverridePropertyName("page");
        RuleFor(r => r.PageSize).InclusiveBetween(1, 500).OverridePropertyName("page_size");
        RuleFor(r => r.Label).MaximumLength(Ingest.StudyLabel.MaxLength).OverridePropertyName("label");
        RuleFor(r => r.Signed).Must(v => v is null or "true" or "false").OverridePropertyName("signed")
            .WithMessage("signed must be true or false; got '{PropertyValue}'");
    }
}
