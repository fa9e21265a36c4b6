using System.Globalization;

using FluentValidation;
using FluentValidation.Results;

using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

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
        studies.MapPost("/", UploadAsync)
            .RequireAuthorization(Roles.Policies.Upload)
            .Accepts<Stream>("application/octet-stream", "multipart/form-data")
            .Produces<StudyDto>(StatusCodes.Status202Accepted)
            .Produces<StudyDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Upload a study (EDF/EDF+/BDF) as multipart/form-data (part 'file') or application/octet-stream; metadata in form fields or the query: map, lights_off, lights_on, callback_url, deidentify.")
            .AddOpenApiOperationTransformer(UploadParameters.DescribeAsync)
            .DisableAntiforgery();
        studies.MapGet("/", ListAsync).RequireAuthorization(Roles.Policies.Read).Produces<StudyPageDto>().ProducesValidationProblem()
            .WithSummary("List studies, newest first; filter by status, upload time, label (part of it) and sign-off (signed=true|false). Integration keys see only their own uploads.");
        studies.MapGet("/{id}", GetAsync).RequireAuthorization(Roles.Policies.Read).AddEndpointFilter<StudyAccessFilter>().Produces<StudyDto>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A study: status, progress, metadata, warnings, model version.");
        studies.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Roles.Policies.Admin).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Delete a study with its files (the correction audit is kept).");
    }

    private static async Task<IResult> UploadAsync(
        HttpContext http,
        StudyIngest ingest,
        StudyStore store,
        IValidator<UploadMetadata> validator,
        IOptions<StorageOptions> storage,
        CancellationToken cancellationToken)
    {
        string keyId = http.User.KeyId();
        string? idempotencyKey = http.Request.Headers[IdempotencyHeader].FirstOrDefault();
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 200))
        {
            return Problems.Field(IdempotencyHeader, "Idempotency-Key must be 1–200 characters");
        }

        if (idempotencyKey is not null && await store.FindByIdempotencyKeyAsync(keyId, idempotencyKey, cancellationToken).ConfigureAwait(false) is string earlier)
        {
            return await ExistingAsync(store, earlier, cancellationToken).ConfigureAwait(false); // a retry: the body is not read again
        }

        IHttpMaxRequestBodySizeFeature? limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false })
        {
            limit.MaxRequestBodySize = storage.Value.MaxUploadBytes + (1 << 20); // multipart framing on top of the file
        }

        bool hasSecret = http.User.CallbackSecret() is not null;
        string contentType = http.Request.ContentType ?? string.Empty;
        IngestResult result;
        if (contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            UploadMetadata metadata = UploadMetadata.From(name => http.Request.Query[name], hasSecret);
            ValidationResult validation = await validator.ValidateAsync(metadata, cancellationToken).ConfigureAwait(false);
            if (!validation.IsValid)
            {
                return Problems.Validation(validation);
            }

            result = await ingest.IngestAsync(http.Request.Body, metadata, keyId, idempotencyKey, cancellationToken).ConfigureAwait(false);
        }
        else if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) && MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? media))
        {
            (IngestResult? fromForm, IResult? problem) = await MultipartUpload.ReceiveAsync(http.Request, media, ingest, validator, keyId, idempotencyKey, hasSecret, cancellationToken).ConfigureAwait(false);
            if (fromForm is null)
            {
                return problem!;
            }

            result = fromForm;
        }
        else
        {
            return Results.Problem(
                title: "Unsupported media type",
                detail: $"send the EDF as multipart/form-data (part 'file') or application/octet-stream; got '{contentType}'",
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                type: "https://sleepscoring.example/problems/media-type");
        }

        StudyRow study = (await store.GetAsync(result.StudyId, cancellationToken).ConfigureAwait(false))!;
        string location = $"/api/v1/studies/{study.Id}";
        return result.Created ? Results.Accepted(location, StudyDto.From(study)) : WithLocation(location, StudyDto.From(study));
    }

    private static async Task<IResult> ExistingAsync(StudyStore store, string id, CancellationToken cancellationToken)
    {
        StudyRow? study = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return study is null ? Problems.NotFound($"study {id}") : WithLocation($"/api/v1/studies/{id}", StudyDto.From(study));
    }

    /// <summary>200 with Location: the upload names a study that already exists (same file or same Idempotency-Key).</summary>
    private static IResult WithLocation(string location, StudyDto study) => new LocatedOk(location, study);

    private static async Task<IResult> ListAsync(
        HttpContext http,
        StudyStore store,
        [FromQuery] string? status,
        [FromQuery(Name = "uploaded_from")] string? uploadedFrom,
        [FromQuery(Name = "uploaded_to")] string? uploadedTo,
        [FromQuery] int? page,
        [FromQuery(Name = "page_size")] int? pageSize,
        [FromQuery] string? label,
        [FromQuery] string? signed,
        IValidator<StudyListRequest> validator,
        CancellationToken cancellationToken)
    {
        var request = new StudyListRequest(status, uploadedFrom, uploadedTo, page ?? 1, pageSize ?? 50) { Label = label, Signed = signed };
        ValidationResult validation = await validator.ValidateAsync(request, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return Problems.Validation(validation);
        }

        StudyPage found = await store.ListAsync(new StudyQuery(status, StudyListRequest.Time(uploadedFrom), StudyListRequest.Time(uploadedTo), request.Page, request.PageSize, http.User.IsInRole(Roles.Integration) ? http.User.KeyId() : null)
        {
            Label = string.IsNullOrWhiteSpace(label) ? null : label.Trim(),
            Signed = signed is null ? null : bool.Parse(signed),
        },
            cancellationToken).ConfigureAwait(false);
        return Results.Ok(new StudyPageDto([.. found.Items.Select(StudyDto.From)], request.Page, request.PageSize, found.Total));
    }

    private static async Task<IResult> GetAsync(string id, StudyStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is StudyRow study ? Results.Ok(StudyDto.From(study)) : Problems.NotFound($"study {id}");

    private static async Task<IResult> DeleteAsync(string id, StudyStore store, DataFolder folder, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return Problems.NotFound($"study {id}");
        }

        string directory = folder.StudyDirectory(id);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        logs.CreateLogger(typeof(StudyEndpoints)).LogInformation("Study {StudyId} deleted with its files", id);
        return Results.NoContent();
    }

    /// <summary>200 OK with a Location header and a JSON body.</summary>
    private sealed class LocatedOk(string location, StudyDto study) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return Results.Ok(study).ExecuteAsync(httpContext);
        }
    }
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
        RuleFor(r => r.Status).Must(s => s is null || StudyStatus.All.Contains(s)).OverridePropertyName("status")
            .WithMessage($"status must be one of {string.Join(", ", StudyStatus.All)}; got '{{PropertyValue}}'");
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
