using System.Text.Json;

using Microsoft.Extensions.Options;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Endpoints;

/// <summary>
/// <c>GET /api/v1/studies/events</c>: live progress as server-sent events. Each tick the store is
/// asked for the studies being queued or scored or uploaded since the stream began (so it works
/// with several service nodes on one database), and a <c>study</c> event carries a study whenever
/// its status, step or percent changed — including the last change, to scored or failed, once. Read with <c>fetch</c> (EventSource cannot send
/// the key header). The stream ends after <see cref="MaxStream"/>; clients reconnect.
/// </summary>
public static class ProgressEndpoints
{
    public const string EventStreamType = "text/event-stream";

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(750);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxStream = TimeSpan.FromMinutes(10);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/studies/events", StreamAsync).RequireAuthorization(Roles.Policies.Read).WithTags("Studies")
            .ProducesText(EventStreamType, "Server-sent events: 'event: study' with 'data:' a study as GET /api/v1/studies/{id} returns it (StudyDto); comments keep the connection alive.")
            .WithSummary("Live progress (server-sent events): an event 'study' with the study (as GET /api/v1/studies/{id}) whenever a queued or scoring study changes status, step or percent, up to and including scored or failed. Integration keys see their own uploads only.");
    }

    private static async Task StreamAsync(HttpContext http, IStudyStore store, IHostApplicationLifetime lifetime, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider time, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        stop.CancelAfter(MaxStream);
        HttpResponse response = http.Response;
        response.ContentType = EventStreamType;
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // a reverse proxy must not hold events back
        string? uploadedBy = http.User.IsInRole(Roles.Integration) ? http.User.KeyId() : null;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset since = time.GetUtcNow(), lastWrite = since;
        try
        {
            await response.WriteAsync("retry: 2000\n\n", stop.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            while (!stop.IsCancellationRequested)
            {
                IReadOnlyList<Study> rows = await store.ActiveAsync([.. seen.Keys], since, uploadedBy, stop.Token).ConfigureAwait(false);
                foreach (Study row in rows.Where(r => !finished.Contains(r.Id)))
                {
                    string state = $"{row.Status}|{row.Stage}|{row.ProgressPercent:0.0}";
                    if (seen.GetValueOrDefault(row.Id) != state)
                    {
                        string data = JsonSerializer.Serialize(StudyDto.From(row), json.Value.SerializerOptions);
                        await response.WriteAsync($"event: study\ndata: {data}\n\n", stop.Token).ConfigureAwait(false);
                        lastWrite = time.GetUtcNow();
                    }

                    seen[row.Id] = state;
                }

                // Finished studies were reported above, once; stop asking for them.
                foreach (Study done in rows.Where(r => r.Status is StudyStatus.Scored or StudyStatus.Failed))
                {
                    seen.Remove(done.Id);
                    finished.Add(done.Id);
                }

                if (time.GetUtcNow() - lastWrite > KeepAlive)
                {
                    await response.WriteAsync(": keep-alive\n\n", stop.Token).ConfigureAwait(false);
                    lastWrite = time.GetUtcNow();
                }

                await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                await Task.Delay(Tick, time, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the client left, the stream's time is up, or the service stops
        }
    }
}
