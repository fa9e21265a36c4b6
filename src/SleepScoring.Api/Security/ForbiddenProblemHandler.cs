using System.Security.Claims;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace SleepScoring.Api.Security;

/// <summary>
/// A 403 says which role the action needs and which role the caller's key has (problem+json with
/// <c>required_roles</c> and <c>role</c>), instead of an empty body; everything else is the
/// framework's default handling.
/// </summary>
public sealed class ForbiddenProblemHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        string[] needed = [.. policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct()];
        if (!authorizeResult.Forbidden || needed.Length == 0)
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        string role = context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
        string why = role == Roles.Admin && !needed.Contains(Roles.Admin)
            ? " Admin keys operate the service (keys, deletions) and do not score: corrections and sign-offs must be made with a technician's or clinician's own key."
            : string.Empty;
        await Results.Problem(
            title: "Forbidden for this role",
            detail: $"{context.Request.Method} {context.Request.Path} needs a key with role {string.Join(" or ", needed)}; this key ({context.User.Identity?.Name}) has role {role}.{why}",
            statusCode: StatusCodes.Status403Forbidden,
            type: "https://sleepscoring.example/problems/forbidden-role",
            extensions: new Dictionary<string, object?> { ["required_roles"] = needed, ["role"] = role }).ExecuteAsync(context).ConfigureAwait(false);
    }
}
