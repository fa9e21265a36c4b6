using FluentValidation;
using FluentValidation.Results;

using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Hosting;
using SleepScoring.Api.Ingest;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Endpoints;

/// <summary>
/// <c>POST /api/v1/studies</c>. An Idempotency-Key (IETF idempotency-key draft) is claimed before
/// the body is read: a second request with the key while the first runs is a 409; once the first
/// has completed, the same request (same <see cref="UploadFingerprint"/>) gets the first response
/// again and another request a 422. Without a key, a repeat of the same request by the same API key
/// answers with its study (200; queued again, 202, if it had failed); anything else is a new study.
/// </summary>
internal static class UploadEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http,
        StudyIngest ingest,
        IStudyStore store,
        IIdempotencyStore idempotency,
        IValidator<UploadMetadata> validator,
        IOptions<StorageOptions> storage,
        CancellationToken cancellationToken)
    {
        string keyId = http.User.KeyId();
        string? idempotencyKey = http.Request.Headers[StudyEndpoints.IdempotencyHeader].FirstOrDefault();
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 200))
        {
            return Problems.Field(StudyEndpoints.IdempotencyHeader, "Idempotency-Key must be 1–200 characters");
        }

        IdempotencyClaim? claim = idempotencyKey is null ? null : await idempotency.ClaimAsync(keyId, idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (claim is IdempotencyClaim.InProgress)
        {
            return Problems.Conflict("idempotency-in-progress", "Request in progress", "a request with this Idempotency-Key is being processed; retry once it has completed", retryAfterSeconds: 1);
        }

        IHttpMaxRequestBodySizeFeature? limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false })
        {
            limit.MaxRequestBodySize = storage.Value.MaxUploadBytes + (1 << 20); // multipart framing on top of the file
        }

        ReceivedFile? received = null;
        bool completed = false;
        try
        {
            (ReceivedFile? file, UploadMetadata? metadata, IResult? problem) = await ReceiveAsync(http, ingest, validator, cancellationToken).ConfigureAwait(false);
            received = file;
            if (problem is not null)
            {
                return problem;
            }

            if (claim is IdempotencyClaim.Done done)
            {
                // Keys stored before fingerprints existed (null) match any request, as they did then.
                return done.RequestSha256 is null || done.RequestSha256 == ingest.Fingerprint(received!, metadata!)
                    ? await AnswerAsync(store, done.StudyId, done.Status, cancellationToken).ConfigureAwait(false)
                    : Problems.Typed(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "Idempotency-Key reused", "this Idempotency-Key was used with another request (another file or other settings); use a new key for a new request", ("field", StudyEndpoints.IdempotencyHeader));
            }

            ReceivedFile owned = received!;
            received = null; // StoreAsync owns (and removes) it from here
            IngestResult result = await ingest.StoreAsync(owned, metadata!, keyId, claim is IdempotencyClaim.Claimed ? idempotencyKey : null, cancellationToken).ConfigureAwait(false);
            completed = true;
            return await AnswerAsync(store, result.StudyId, result.Outcome.StatusCode(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (received is not null)
            {
                File.Delete(received.Path);
            }

            if (claim is IdempotencyClaim.Claimed && !completed)
            {
                await idempotency.ReleaseAsync(keyId, idempotencyKey!).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The file and its validated settings from either encoding, or the problem to answer with.</summary>
    private static async Task<(ReceivedFile? File, UploadMetadata? Metadata, IResult? Problem)> ReceiveAsync(HttpContext http, StudyIngest ingest, IValidator<UploadMetadata> validator, CancellationToken cancellationToken)
    {
        bool hasSecret = http.User.CallbackSecret() is not null;
        string contentType = http.Request.ContentType ?? string.Empty;
        if (contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            UploadMetadata metadata = UploadMetadata.From(name => http.Request.Query[name], hasSecret);
            ValidationResult validation = await validator.ValidateAsync(metadata, cancellationToken).ConfigureAwait(false);
            return validation.IsValid
                ? (await ingest.ReceiveAsync(http.Request.Body, cancellationToken).ConfigureAwait(false), metadata, null)
                : (null, null, Problems.Validation(validation));
        }

        if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) && MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? media))
        {
            return await MultipartUpload.ReceiveAsync(http.Request, media, ingest, validator, hasSecret, cancellationToken).ConfigureAwait(false);
        }

        return (null, null, Problems.Typed(
            StatusCodes.Status415UnsupportedMediaType,
            "media-type",
            "Unsupported media type",
            $"send the EDF as multipart/form-data (part 'file') or application/octet-stream; got '{contentType}'"));
    }

    /// <summary>The study with its Location, under <paramref name="status"/> (202 or 200).</summary>
    private static async Task<IResult> AnswerAsync(IStudyStore store, string id, int status, CancellationToken cancellationToken)
    {
        Study? study = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return study is null ? Problems.NotFound($"study {id}") : new Located(status, $"/api/v1/studies/{id}", StudyDto.From(study));
    }

    /// <summary>A status with a Location header and the study as JSON.</summary>
    private sealed class Located(int status, string location, StudyDto study) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return Results.Json(study, statusCode: status).ExecuteAsync(httpContext);
        }
    }
}
