using FluentValidation;
using FluentValidation.Results;

using Microsoft.AspNetCore.Http.HttpResults;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Endpoints;

/// <summary>Body of <c>POST /api/v1/keys</c>.</summary>
public sealed record IssueKeyRequest(string Name, string Role);

/// <summary>API key administration (admins only).</summary>
public static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder keys = app.MapGroup("/api/v1/keys").WithTags("Keys").RequireAuthorization(Roles.Policies.Admin);
        keys.MapPost("/", IssueAsync).Produces<IssuedKey>(StatusCodes.Status201Created).ProducesValidationProblem()
            .WithSummary("Issue a key (the secret is in this response only); integration keys also get their callback secret.");
        keys.MapGet("/", ListAsync).Produces<IReadOnlyList<ApiKeySummary>>().WithSummary("All keys (ids, names, roles, revocation), never their secrets.");
        keys.MapDelete("/{keyId}", RevokeAsync).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Revoke a key; it stops working at once.");
    }

    private static async Task<Results<Created<IssuedKey>, ValidationProblem>> IssueAsync(IssueKeyRequest body, IApiKeyStore keys, IValidator<IssueKeyRequest> validator, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ValidationResult validation = await validator.ValidateAsync(body, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return Problems.Validation(validation);
        }

        IssuedKey issued = await keys.IssueAsync(body.Name, body.Role, cancellationToken).ConfigureAwait(false);
        logs.CreateLogger(typeof(AdminEndpoints)).LogInformation("Issued {Role} key {KeyId}", issued.Role, issued.Id);
        return TypedResults.Created($"/api/v1/keys/{issued.Id}", issued);
    }

    private static async Task<Ok<IReadOnlyList<ApiKeySummary>>> ListAsync(IApiKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ApiKeySummary>>([.. (await keys.ListAsync(cancellationToken).ConfigureAwait(false)).Select(ApiKeySummary.From)]);

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string keyId, IApiKeyStore keys, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(keyId, cancellationToken).ConfigureAwait(false))
        {
            return Problems.NotFound($"active key {keyId}");
        }

        logs.CreateLogger(typeof(AdminEndpoints)).LogInformation("Revoked key {KeyId}", keyId);
        return TypedResults.NoContent();
    }
}

/// <summary>Validates key requests: a name of 1–100 characters and a known role.</summary>
public sealed class IssueKeyRequestValidator : AbstractValidator<IssueKeyRequest>
{
    public IssueKeyRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(100).OverridePropertyName("name");
        RuleFor(r => r.Role).Must(r => Roles.All.Contains(r)).OverridePropertyName("role")
            .WithMessage($"role must be one of {string.Join(", ", Roles.All)}; got '{{PropertyValue}}'");
    }
}
