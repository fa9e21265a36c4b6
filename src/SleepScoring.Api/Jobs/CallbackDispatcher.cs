using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

using Dapper;

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

using SleepScoring.Api.Hosting;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Jobs;

/// <summary>
/// Delivers the "scoring ended" callback of studies uploaded with a <c>callback_url</c>: a JSON POST
/// signed with the uploading integration key's secret (<c>X-SleepScoring-Signature: sha256=&lt;hex
/// HMAC-SHA256 of the body&gt;</c>), retried with exponential backoff; the outcome is recorded in
/// <c>callback_deliveries</c>. At start, finished studies without a recorded delivery are sent, so
/// a restart loses no callback (delivery is at least once: receivers deduplicate by study id).
/// Up to <see cref="CallbackOptions.Concurrency"/> deliveries run at once, so a receiver that does
/// not answer holds one slot, not the queue; connections go only where <see cref="CallbackAddressRule"/> allows.
/// </summary>
public sealed class CallbackDispatcher(Database database, IHttpClientFactory clients, IOptions<CallbackOptions> options, ILogger<CallbackDispatcher> logger) : BackgroundService
{
    public const string SignatureHeader = "X-SleepScoring-Signature";
    public const string HttpClientName = "callbacks";

    private readonly Channel<string> pending = Channel.CreateUnbounded<string>();

    /// <summary>Queues the callback of a study that has just finished (scored or failed).</summary>
    public void Enqueue(string studyId) => pending.Writer.TryWrite(studyId);

    /// <summary>The signature header value for <paramref name="body"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using (SqliteConnection c = await database.OpenAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (string id in await c.QueryAsync<string>(
                "SELECT id FROM studies s WHERE callback_url IS NOT NULL AND status IN ('scored', 'failed') AND NOT EXISTS (SELECT 1 FROM callback_deliveries d WHERE d.study_id = s.id)").ConfigureAwait(false))
            {
                Enqueue(id);
            }
        }

        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.Concurrency));
        List<Task> running = [];
        try
        {
            await foreach (string studyId in pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(
                    async () =>
                    {
                        try
                        {
                            await DeliverAsync(studyId, stoppingToken).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            logger.LogError(e, "Callback for study {StudyId} could not be delivered or recorded", studyId);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    },
                    CancellationToken.None));
            }
        }
        finally
        {
            // Deliveries in flight end with the stopping token; wait for them before the semaphore goes.
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(string studyId, CancellationToken stoppingToken)
    {
        (string? Url, string? Secret, string Status, string? ModelName, string? ModelVersion, string? ErrorDetail) target;
        await using (SqliteConnection c = await database.OpenAsync(stoppingToken).ConfigureAwait(false))
        {
            target = await c.QuerySingleOrDefaultAsync<(string?, string?, string, string?, string?, string?)>(
                """
                SELECT s.callback_url, k.callback_secret, s.status, s.model_name, s.model_version, s.error_detail
                FROM studies s LEFT JOIN api_keys k ON k.id = s.uploaded_by
                WHERE s.id = @studyId AND s.callback_url IS NOT NULL
                """,
                new { studyId }).ConfigureAwait(false);
        }

        if (target.Url is null || target.Secret is null)
        {
            return;
        }

        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            study_id = studyId,
            status = target.Status,
            location = $"/api/v1/studies/{studyId}",
            model = target.ModelName is null ? null : new { name = target.ModelName, version = target.ModelVersion },
            error = target.ErrorDetail,
        });
        string signature = Sign(target.Secret, body);

        // No connection is held while the receiver is waited for (retries can take minutes).
        (bool delivered, int attempts, int? status, string? error) = await PostWithRetriesAsync(target.Url, body, signature, studyId, stoppingToken).ConfigureAwait(false);
        await using (SqliteConnection c = await database.OpenAsync(stoppingToken).ConfigureAwait(false))
        {
            await c.ExecuteAsync(
                "INSERT INTO callback_deliveries (study_id, url, status, attempts, last_status, last_error, finished_at) VALUES (@studyId, @url, @outcome, @attempts, @status, @error, @at)",
                new { studyId, url = target.Url, outcome = delivered ? "delivered" : "failed", attempts, status, error, at = Clock.Now() }).ConfigureAwait(false);
        }

        logger.LogInformation("Callback for study {StudyId} {Outcome} after {Attempts} attempt(s), last HTTP status {Status}", studyId, delivered ? "delivered" : "failed", attempts, status);
    }

    private async Task<(bool Delivered, int Attempts, int? Status, string? Error)> PostWithRetriesAsync(string url, byte[] body, string signature, string studyId, CancellationToken stoppingToken)
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
                request.Headers.Add("X-SleepScoring-Study", studyId);
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
                await Task.Delay(o.RetryDelay * Math.Pow(2, attempt - 1), stoppingToken).ConfigureAwait(false);
            }
        }

        return (false, o.MaxAttempts, status, error);
    }
}
