using System.Net;
using System.Security.Claims;

using Microsoft.AspNetCore.Http.HttpResults;

using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Endpoints;

/// <summary>The caller's key as the workstation shows it, with what it may do.</summary>
public sealed record MeDto(string KeyId, string Name, string Role, IReadOnlyList<string> Permissions);

/// <summary>Body of <c>POST /api/v1/sign-in/link</c>.</summary>
public sealed record SignInLinkRequest(string? Token);

/// <summary>The signed-in key (<c>/api/v1/me</c>) and the first start's one-time sign-in link.</summary>
public static class SessionEndpoints
{
    /// <summary>Permission names per policy, for <see cref="MeDto.Permissions"/>.</summary>
    private static readonly (string Permission, string[] Roles)[] Permissions =
    [
        ("read", Roles.All),
        ("upload", [Roles.Technician, Roles.Integration, Roles.Admin]),
        ("correct", [Roles.Technician, Roles.Clinician]),
        ("sign_off", [Roles.Clinician]),
        ("admin", [Roles.Admin]),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me", Me).RequireAuthorization(Roles.Policies.Read).WithTags("Session").Produces<MeDto>()
            .WithSummary("The key this request is signed in with: id, name, role and what it may do (read, upload, correct, sign_off, admin).");
        app.MapPost("/api/v1/sign-in/link", RedeemAsync).AllowAnonymous().WithTags("Session")
            .Produces<IssuedKey>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status410Gone)
            .WithSummary("Exchange the one-time token of the link printed at the first start (no keys yet) for a new admin key. From loopback only; each token works once, for 15 minutes.")
            .DisableAntiforgery();
    }

    private static Ok<MeDto> Me(ClaimsPrincipal user)
    {
        string role = user.FindFirstValue(ClaimTypes.Role) ?? string.Empty;
        return TypedResults.Ok(new MeDto(user.KeyId(), user.Identity?.Name ?? string.Empty, role, [.. Permissions.Where(p => p.Roles.Contains(role)).Select(p => p.Permission)]));
    }

    private static async Task<Results<Ok<IssuedKey>, ValidationProblem, ProblemHttpResult>> RedeemAsync(SignInLinkRequest? body, HttpContext http, ISignInLinkStore links, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (http.Connection.RemoteIpAddress is not IPAddress remote || !IPAddress.IsLoopback(remote))
        {
            return TypedResults.Problem(title: "Loopback only", detail: "the first-start sign-in link works only in a browser on the machine that runs the service", statusCode: StatusCodes.Status403Forbidden, type: "https://sleepscoring.example/problems/loopback-only");
        }

        if (string.IsNullOrEmpty(body?.Token) || body.Token.Length > 100)
        {
            return Problems.Field("token", "token must be the text after '#token=' in the printed link");
        }

        IssuedKey? key = await links.RedeemAsync(body.Token, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return TypedResults.Problem(title: "Sign-in link spent", detail: "this sign-in link is unknown, was used already or has expired; restart the service while it has no keys for a new one, or issue a key with 'keys issue'", statusCode: StatusCodes.Status410Gone, type: "https://sleepscoring.example/problems/sign-in-link");
        }

        logs.CreateLogger(typeof(SessionEndpoints)).LogInformation("First-start sign-in link exchanged for admin key {KeyId}", key.Id);
        return TypedResults.Ok(key);
    }
}
