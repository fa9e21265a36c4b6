using System.Data.Common;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using Microsoft.Extensions.Options;

using SleepScoring.Api.Hosting;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Jobs;

/// <summary>
/// Delivers the "scoring ended" callback of studies uploaded with a <c>callback_url</c>: a JSON POST
/// signed with the uploading integration key's secret (<c>X-SleepScoring-Signature: sha256=&lt;hex
/// HMAC-SHA256 of the body&gt;</c>), retried with exponential backoff; the outcome is recorded in
/// <c>callback_deliveries</c>. The callbacks to send are rows of <see cref="CallbackOutbox"/>, written
/// in the transaction that finishes the study, so a restart or a dead node loses none; every node
/// drains the outbox, each row claimed by one node under a lease. Delivery is at least once: a node
/// that dies between the receiver's answer and recording it leaves the row to another node, which
/// sends it again; every delivery of one finish carries the same event id (header
/// <c>X-SleepScoring-Event-Id</c>, and <c>event_id</c> in the signed body), by which receivers deduplicate. <see cref="Enqueue"/> wakes
/// this node's dispatcher at once; otherwise it looks every <see cref="CallbackOptions.PollInterval"/>.
/// Up to <see cref="CallbackOptions.Concurrency"/> deliveries run at once, so a receiver that does
/// not answer holds one slot, not the queue; connections go only where <see cref="CallbackAddressRule"/> allows.
/// </summary>
public sealed class CallbackDispatcher(ICallbackOutbox outbox, IHttpClientFactory clients, IOptions<CallbackOptions> options, TimeProvider time, ILogger<CallbackDispatcher> logger) : BackgroundService
{
    public const string SignatureHeader = "X-SleepScoring-Signature";

    /// <summary>The id of the finish being reported: the same on every delivery of it (retries, another node's redelivery).</summary>
    public const string EventIdHeader = "X-SleepScoring-Event-Id";
    public const string HttpClientName = "callbacks";

    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly SemaphoreSlim wake = new(0);
    private long claims;

    /// <summary>Wakes the dispatcher: the study has just finished and its callback row is in the outbox.</summary>
    public void Enqueue(string studyId) => wake.Release();

    /// <summary>The signature header value for <paramref name="body"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>
    /// How long a claimed callback stays this node's: twice the longest a delivery can take (every
    /// attempt timing out, with every backoff between them) and 5 s, so a live node never loses one.
    /// </summary>
    public static TimeSpan Lease(CallbackOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        TimeSpan longest = (o.Timeout * o.MaxAttempts) + (o.RetryDelay * (Math.Pow(2, Math.Max(0, o.MaxAttempts - 1)) - 1));
        return (longest * 2) + TimeSpan.FromSeconds(5);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.Concurrency));
        List<Task> running = [];
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                string claim = $"{owner}:{Interlocked.Increment(ref claims)}";
                ClaimedCallback? callback = null;
                try
                {
                    callback = await outbox.ClaimAsync(claim, Lease(options.Value), stoppingToken).ConfigureAwait(false);
                }
                catch (DbException e)
                {
                    logger.LogWarning("Claiming a callback failed ({ErrorType}); trying again later", e.GetType().Name);
                }

                if (callback is null)
                {
                    slots.Release();
                    await wake.WaitAsync(options.Value.PollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(
                    async () =>
                    {
                        try
                        {
                            await DeliverAsync(callback, claim, stoppingToken).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            logger.LogError(e, "Callback for study {StudyId} could not be delivered or recorded", callback.StudyId);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    },
                    CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down; a claimed callback not yet recorded goes to another node when its lease runs out
        }
        finally
        {
            // Deliveries in flight end with the stopping token; wait for them before the semaphore goes.
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(ClaimedCallback callback, string claim, CancellationToken stoppingToken)
    {
        string studyId = callback.StudyId;
        CallbackTarget? target = await outbox.TargetAsync(studyId, stoppingToken).ConfigureAwait(false);
        if (target?.Url is null || target.Secret is null)
        {
            await outbox.CompleteAsync(studyId, claim, null, stoppingToken).ConfigureAwait(false); // nothing to send
            return;
        }

        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            event_id = callback.EventId,
            study_id = studyId,
            status = target.Status,
            location = $"/api/v1/studies/{studyId}",
            model = target.ModelName is null ? null : new { name = target.ModelName, version = target.ModelVersion },
            error_type = target.ErrorType, // a stable code (StudyFailureCode), for a receiver to branch on
            error = target.ErrorDetail,
        });
        string signature = Sign(target.Secret, body);

        // No connection is held while the receiver is waited for (retries can take minutes).
        (bool delivered, int attempts, int? status, string? error) = await PostWithRetriesAsync(target.Url, body, signature, callback, stoppingToken).ConfigureAwait(false);
        if (!await outbox.CompleteAsync(studyId, claim, new CallbackOutcome(target.Url, delivered, attempts, status, error), stoppingToken).ConfigureAwait(false))
        {
            logger.LogWarning("Callback for study {StudyId}: the claim ran out before the delivery was recorded; another node may send it again", studyId);
            return;
        }

        logger.LogInformation("Callback for study {StudyId} {Outcome} after {Attempts} attempt(s), last HTTP status {Status}", studyId, delivered ? "delivered" : "failed", attempts, status);
    }

    private async Task<(bool Delivered, int Attempts, int? Status, string? Error)> PostWithRetriesAsync(string url, byte[] body, string signature, ClaimedCallback callback, CancellationToken stoppingToken)
    {
        CallbackOptions o = options.Value;
        int? status = null;
        string? error = null;
        for (int attempt = 1; attempt <= o.MaxAttempts; attempt++)
        {
            try
            {
                using HttpClient client = clients.CreateClient(HttpClientName);
                client.Timeout = o.Timeout;
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                request.Headers.Add(SignatureHeader, signature);
                request.Headers.Add("X-SleepScoring-Study", callback.StudyId);
                request.Headers.Add(EventIdHeader, callback.EventId);
                using HttpResponseMessage response = await client.SendAsync(request, stoppingToken).ConfigureAwait(false);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return (true, attempt, status, null);
                }

                error = $"HTTP {status}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                if (e.InnerException is CallbackAddressRefusedException refused)
                {
                    return (false, attempt, null, refused.Message); // no retry can change where the name points now
                }

                error = e.GetType().Name;
            }

            if (attempt < o.MaxAttempts)
            {
                await Task.Delay(o.RetryDelay * Math.Pow(2, attempt - 1), time, stoppingToken).ConfigureAwait(false);
            }
        }

        return (false, o.MaxAttempts, status, error);
    }
}
