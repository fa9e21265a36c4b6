using System.Threading.RateLimiting;

using Microsoft.Extensions.Options;

using SleepScoring.Api.Hosting;

namespace SleepScoring.Api.Security;

/// <summary>
/// Limits failed authentications per client address with .NET's rate limiters (a fixed window per
/// address): each unknown or revoked key spends a permit; a client with none left is refused with
/// 429 and Retry-After for the rest of the window, whatever key it sends, so keys cannot be guessed
/// at speed. Requests with a valid key spend nothing. Behind a reverse proxy every client has the
/// proxy's address: limit there too, or configure forwarded headers.
/// </summary>
public sealed class AuthenticationThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public AuthenticationThrottle(IOptions<SecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FailedAuthenticationOptions o = options.Value.FailedAuthentication;
        limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.PermitLimit,
            Window = o.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>True when <paramref name="client"/> has no failed attempt left in this window; <paramref name="retryAfter"/> says until when.</summary>
    public bool IsLockedOut(string client, out TimeSpan retryAfter)
    {
        using RateLimitLease probe = limiter.AttemptAcquire(client, permitCount: 0);
        retryAfter = probe.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : TimeSpan.FromSeconds(1);
        return !probe.IsAcquired;
    }

    /// <summary>Spends one of <paramref name="client"/>'s failed attempts.</summary>
    public void RecordFailure(string client)
    {
        using RateLimitLease _ = limiter.AttemptAcquire(client);
    }

    public void Dispose() => limiter.Dispose();
}
