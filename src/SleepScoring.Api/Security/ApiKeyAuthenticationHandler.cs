using System.Security.Claims;
using System.Text.Encodings.Web;

using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> against the
/// hashed keys in the database; the principal carries the key id, its name and its role. Failed
/// attempts are limited per client (<see cref="AuthenticationThrottle"/>: 429 with Retry-After);
/// a 401 says how to authenticate (<c>WWW-Authenticate</c>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyStore keys,
    AuthenticationThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>Claim holding the integration's callback secret (only on integration keys).</summary>
    public const string CallbackSecretClaim = "callback_secret";

    private const string ThrottledItem = "sleepscoring.auth.throttled", InvalidKeyItem = "sleepscoring.auth.invalid";

    /// <summary>401 with how to authenticate, or 429 with Retry-After for a client out of attempts (the body is problem+json, from the status-code pages).</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledItem] is TimeSpan retryAfter)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Context.Items.ContainsKey(InvalidKeyItem)
            ? "Bearer realm=\"SleepScoring\", error=\"invalid_token\", error_description=\"unknown or revoked API key\""
            : "Bearer realm=\"SleepScoring\"";
        return Task.CompletedTask;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = Request.Headers[HeaderName].FirstOrDefault();
        string? authorization = Request.Headers.Authorization.FirstOrDefault();
        if (key is null && authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
        }

        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }

        string client = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.IsLockedOut(client, out TimeSpan retryAfter))
        {
            Context.Items[ThrottledItem] = retryAfter;
            return AuthenticateResult.Fail("too many failed authentications from this client");
        }

        ApiKey? record = await keys.FindActiveAsync(key, Context.RequestAborted).ConfigureAwait(false);
        if (record is null)
        {
            throttle.RecordFailure(client);
            Context.Items[InvalidKeyItem] = true;
            return AuthenticateResult.Fail("unknown or revoked API key");
        }

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, record.Id),
            new(ClaimTypes.Name, record.Name),
            new(ClaimTypes.Role, record.Role),
        ];
        if (record.CallbackSecret is not null)
        {
            claims.Add(new Claim(CallbackSecretClaim, record.CallbackSecret));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}

/// <summary>The caller's key, read from the authenticated principal.</summary>
public static class CallerExtensions
{
    public static string KeyId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("unauthenticated caller");

    public static string? CallbackSecret(this ClaimsPrincipal user) => user.FindFirstValue(ApiKeyAuthenticationHandler.CallbackSecretClaim);
}
