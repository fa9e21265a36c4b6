using Microsoft.AspNetCore.Http.Features;

namespace SleepScoring.Api.Hosting;

/// <summary>
/// What every response carries, and the request-size limits answered with problem bodies:
/// <list type="bullet">
/// <item><c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: no-referrer</c>, <c>X-Frame-Options: DENY</c>;</item>
/// <item>a Content-Security-Policy: for the pages, scripts, styles and connections from the service
/// itself only, images also from <c>data:</c> and <c>blob:</c> (canvas exports, fetched PNGs), no
/// inline script, no framing; the API reference under <c>/scalar</c> needs inline script and styles,
/// so it gets its own policy, still without framing or other origins;</item>
/// <item><c>Cache-Control: no-store</c> on every <c>/api</c> response: studies, results and the
/// response that shows a new key must not stay in a cache;</item>
/// <item>414 and 431 as problem+json: Kestrel answers those without a body, so its limits are set
/// above these and the service answers first.</item>
/// </list>
/// </summary>
public static class ResponseHeaders
{
    /// <summary>The request target (path and query) the service reads; Kestrel's own limit is above it.</summary>
    public const int MaxRequestTarget = 8 * 1024;

    /// <summary>All request headers together; Kestrel's own limit is above it.</summary>
    public const int MaxRequestHeaders = 32 * 1024;

    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Kestrel's limits, raised above the ones the service answers itself.</summary>
    public static void RaiseKestrelLimits(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Limits.MaxRequestLineSize = 8 * MaxRequestTarget;
            o.Limits.MaxRequestHeadersTotalSize = 4 * MaxRequestHeaders;
        });
    }

    public static void Use(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            HttpResponse response = context.Response;
            response.OnStarting(() =>
            {
                IHeaderDictionary h = response.Headers;
                h.XContentTypeOptions = "nosniff";
                h["Referrer-Policy"] = "no-referrer";
                h.XFrameOptions = "DENY";
                h.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar") ? ApiReferencePolicy : PagePolicy;
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    h.CacheControl = "no-store";
                    h.Pragma = "no-cache";
                }

                return Task.CompletedTask;
            });

            string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
            if (target.Length > MaxRequestTarget)
            {
                await TooLarge(context, StatusCodes.Status414UriTooLong, "uri-too-long", "URI too long", $"the request target has {target.Length} characters; at most {MaxRequestTarget} are read").ConfigureAwait(false);
                return;
            }

            long headers = context.Request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => (v?.Length ?? 0) + 4L));
            if (headers > MaxRequestHeaders)
            {
                await TooLarge(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "headers-too-large", "Request headers too large", $"the request headers hold {headers} bytes; at most {MaxRequestHeaders} are read").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    private static Task TooLarge(HttpContext context, int status, string kind, string title, string detail) =>
        Endpoints.Problems.Typed(status, kind, title, detail).ExecuteAsync(context);
}
