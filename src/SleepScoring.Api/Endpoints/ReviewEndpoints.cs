using System.Security.Claims;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Api.Domain;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;
using SleepScoring.Inference.Explanation;

namespace SleepScoring.Api.Endpoints;

/// <summary>One epoch of the clinical review queue with its current stages.</summary>
public sealed record QueueItemDto(
    int Index,
    double OnsetSeconds,
    double WrongProbability,
    string Alternative,
    double ImpactMinutes,
    double Priority,
    IReadOnlyList<string> Reasons,
    string ModelStage,
    string? ScorerStage,
    bool Reviewed);

/// <summary><c>GET …/review</c>: the queue, ranked, with progress and the sign-off.</summary>
public sealed record ReviewDto(
    double Threshold,
    string Ranking,
    int Total,
    int Reviewed,
    int CorrectedEpochs,
    int ReviewedEpochs,
    SignOffDto? SignedOff,
    IReadOnlyList<QueueItemDto> Queue);

/// <summary>A sign-off as the API shows it.</summary>
public sealed record SignOffDto(string SignedBy, string SignedByName, string SignedByRole, DateTime SignedAt, int ReviewedEpochs, int CorrectedEpochs, int QueueEpochs, int QueueReviewed, string? Statement)
{
    public static SignOffDto From(SignOff r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new SignOffDto(r.SignedBy, r.SignedByName, r.SignedByRole, r.SignedAt.UtcDateTime, r.ReviewedEpochs, r.CorrectedEpochs, r.QueueEpochs, r.QueueReviewed, r.Statement);
    }
}

/// <summary>Body of <c>POST …/sign-off</c>.</summary>
public sealed record SignOffRequest(string? Statement);

/// <summary>Body of <c>DELETE …/epochs/{n}/stage</c> (optional).</summary>
public sealed record WithdrawRequest(string? Reason);

/// <summary>One event of a study's audit: a correction, an acceptance, a withdrawal or the sign-off.</summary>
public sealed record AuditEventDto(DateTime At, string Action, string By, string? ByName, int? Epoch, string? OldStage, string? NewStage, string? Reason);

/// <summary>The clinician's review: the ranked queue, undo of a scorer's stage, sign-off and the study's audit.</summary>
public static class ReviewEndpoints
{
    /// <summary>How the queue is ordered, in words (also in the response).</summary>
    public const string Ranking = "priority = probability the model's stage is wrong × clinical impact in minutes (the epoch's own half minute plus the shift of sleep-onset latency or REM latency were it the model's runner-up stage, or the length of a wake bout ≥ 5 min after onset); highest first";

    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder study = app.MapGroup("/api/v1/studies/{id}").WithTags("Review").AddEndpointFilter<StudyAccessFilter>();
        study.MapGet("/review", ReviewAsync).RequireAuthorization(Roles.Policies.Read)
            .Produces<ReviewDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The review queue: epochs ranked by probability of being wrong × clinical impact (sleep onset, first REM, long wake bouts first), with current stages and progress.");
        study.MapDelete("/epochs/{n:int}/stage", WithdrawAsync).RequireAuthorization(Roles.Policies.Correct)
            .Produces<CorrectionDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Withdraw the scorer's stage of one epoch (undo): the model's stage is in force again and the epoch is unreviewed; audited.");
        study.MapPost("/sign-off", SignOffAsync).RequireAuthorization(Roles.Policies.SignOff)
            .Produces<SignOffDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Sign the study off (clinicians): the hypnogram is locked from now on (corrections answer 409) and who/when is recorded in the audit.");
        study.MapGet("/sign-off", GetSignOffAsync).RequireAuthorization(Roles.Policies.Read)
            .Produces<SignOffDto>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The study's sign-off: who, when, and the review state it was signed in (404 while not signed off).");
        study.MapGet("/audit", AuditAsync).RequireAuthorization(Roles.Policies.Read)
            .Produces<IReadOnlyList<AuditEventDto>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The study's audit in time order: corrections, acceptances, withdrawals (undo) and the sign-off, with who and when.");
    }

    private static async Task<Ok<ReviewDto>> ReviewAsync(string id, IResultStore results, ISignOffStore signOffs, DataFolder folder, CancellationToken cancellationToken)
    {
        ScoredResult result = await ResultEndpoints.LoadAsync(id, results, cancellationToken).ConfigureAwait(false);
        double threshold = ScoredExtras.Of(result.Study, folder).ReviewThreshold;
        IReadOnlyList<ClinicalReview> ranked = ClinicalQueue.Of(result, threshold);
        QueueItemDto[] queue = [.. ranked.Select(r =>
        {
            EpochResult epoch = result.Epochs[r.Index];
            return new QueueItemDto(r.Index, r.Index * Hypnogram.StandardEpochSeconds, Math.Round(r.WrongProbability, 4), EpochResult.Name(r.Alternative), Math.Round(r.ImpactMinutes, 2), Math.Round(r.Priority, 4), ClinicalQueue.ReasonNames(r.Reasons), EpochResult.Name(epoch.ModelStage), epoch.ScorerStage is SleepStage scorer ? EpochResult.Name(scorer) : null, epoch.Reviewed);
        })];
        SignOff? signed = await signOffs.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ReviewDto(
            threshold,
            Ranking,
            queue.Length,
            queue.Count(q => q.Reviewed),
            result.Epochs.Count(e => e.Corrected),
            result.Epochs.Count(e => e.Reviewed),
            signed is null ? null : SignOffDto.From(signed),
            queue));
    }

    private static async Task<Ok<CorrectionDto>> WithdrawAsync(string id, int n, [FromBody] WithdrawRequest? body, HttpContext http, IResultStore results, ICorrectionStore corrections, CancellationToken cancellationToken)
    {
        if (body?.Reason is { Length: > 1000 })
        {
            throw new InvalidFieldException("reason", "reason must be at most 1000 characters");
        }

        await ResultEndpoints.LoadEpochAsync(id, n, results, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(CorrectionDto.From(await corrections.WithdrawAsync(id, n, body?.Reason, http.User.KeyId(), cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Created<SignOffDto>> SignOffAsync(string id, [FromBody] SignOffRequest? body, HttpContext http, IResultStore results, ISignOffStore signOffs, DataFolder folder, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (body?.Statement is { Length: > 2000 })
        {
            throw new InvalidFieldException("statement", "statement must be at most 2000 characters");
        }

        ScoredResult result = await ResultEndpoints.LoadAsync(id, results, cancellationToken).ConfigureAwait(false);
        int[] queue = [.. ClinicalQueue.Of(result, ScoredExtras.Of(result.Study, folder).ReviewThreshold).Select(r => r.Index)];
        ClaimsPrincipal user = http.User;
        (SignOff record, bool created) = await signOffs.SignAsync(id, user.KeyId(), user.Identity?.Name ?? user.KeyId(), user.FindFirstValue(ClaimTypes.Role) ?? string.Empty, queue, body?.Statement, cancellationToken).ConfigureAwait(false);
        if (!created)
        {
            throw new AlreadySignedOffException(id, record.SignedBy, record.SignedByName, StoredTime.Format(record.SignedAt));
        }

        logs.CreateLogger(typeof(ReviewEndpoints)).LogInformation("Study {StudyId} signed off by key {KeyId}: {Reviewed} epochs reviewed, {Corrected} corrected", id, record.SignedBy, record.ReviewedEpochs, record.CorrectedEpochs);
        return TypedResults.Created($"/api/v1/studies/{id}/sign-off", SignOffDto.From(record));
    }

    private static async Task<Ok<SignOffDto>> GetSignOffAsync(string id, IStudyStore studies, ISignOffStore signOffs, CancellationToken cancellationToken)
    {
        _ = await studies.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new StudyNotFoundException(id);
        SignOff record = await signOffs.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new SignOffNotFoundException(id);
        return TypedResults.Ok(SignOffDto.From(record));
    }

    private static async Task<Ok<List<AuditEventDto>>> AuditAsync(string id, IStudyStore studies, ICorrectionStore corrections, ISignOffStore signOffs, IApiKeyStore keys, CancellationToken cancellationToken)
    {
        _ = await studies.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new StudyNotFoundException(id);
        IReadOnlyDictionary<string, string> names = await keys.NamesAsync(cancellationToken).ConfigureAwait(false);

        var events = (await corrections.ListAsync(id, cancellationToken).ConfigureAwait(false))
            .Select(r => new AuditEventDto(r.CorrectedAt.UtcDateTime, r.Action.ToText(), r.CorrectedBy, names.GetValueOrDefault(r.CorrectedBy), r.Epoch, EpochResult.Name(r.OldStage), EpochResult.Name(r.NewStage), r.Reason))
            .ToList();
        if (await signOffs.FindAsync(id, cancellationToken).ConfigureAwait(false) is SignOff signed)
        {
            events.Add(new AuditEventDto(signed.SignedAt.UtcDateTime, "sign_off", signed.SignedBy, signed.SignedByName, null, null, null, signed.Statement));
        }

        return TypedResults.Ok(events.OrderBy(e => e.At).ToList());
    }
}
