using System.Data.Common;
using System.Text;

using Dapper;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Storage;

/// <summary>A page of studies and the total matching the filter.</summary>
public sealed record StudyPage(IReadOnlyList<Study> Items, int Total);

/// <summary>Filter and page of <c>GET /api/v1/studies</c>; <paramref name="UploadedBy"/> limits it to one key's uploads.</summary>
public sealed record StudyQuery(StudyStatus? Status, DateTimeOffset? UploadedFrom, DateTimeOffset? UploadedTo, int Page, int PageSize, string? UploadedBy = null)
{
    /// <summary>Part of the label (case-insensitive), or null.</summary>
    public string? Label { get; init; }

    /// <summary>Only signed-off (true) or not signed-off (false) studies, or null for both.</summary>
    public bool? Signed { get; init; }
}

/// <summary>What an upload did: made a study, found the study of the same request, or queued that study again after it had failed.</summary>
public enum IngestOutcome
{
    Created,
    Existing,
    Requeued,
}

/// <summary>The HTTP status of each outcome.</summary>
public static class IngestOutcomeExtensions
{
    /// <summary>202 when scoring is (again) ahead, 200 when the study of the same request answers as it is.</summary>
    public static int StatusCode(this IngestOutcome outcome) => outcome == IngestOutcome.Existing ? StatusCodes.Status200OK : StatusCodes.Status202Accepted;
}

/// <summary>Reads and writes the <c>studies</c> table and the idempotency keys that point at it.</summary>
public sealed class StudyStore(ISqlDatabase database, TimeProvider time, ILogger<StudyStore> logger) : IStudyStore
{
    /// <summary>A study row with its uploader's role, review counts and sign-off (alias <c>s</c> for the study).</summary>
    private const string SelectStudy = """
        SELECT s.*, k.role AS uploader_role,
               (SELECT COUNT(*) FROM epochs e WHERE e.study_id = s.id AND e.scorer_stage IS NOT NULL) AS reviewed_epochs,
               (SELECT COUNT(*) FROM epochs e WHERE e.study_id = s.id AND e.scorer_stage IS NOT NULL AND e.scorer_stage <> e.model_stage) AS corrected_epochs,
               f.signed_by, f.signed_by_name, f.signed_at
        FROM studies s
        LEFT JOIN api_keys k ON k.id = s.uploaded_by
        LEFT JOIN study_signoffs f ON f.study_id = s.id
        """;

    /// <summary>
    /// Stores an upload in one transaction: a new study with its scoring job, unless this API key
    /// already uploaded the same request (<see cref="Study.RequestSha256"/>): then that study
    /// answers, queued again if it had failed. The Idempotency-Key the request holds, when given,
    /// records the request's fingerprint and the answer in the same transaction.
    /// </summary>
    public async Task<(string StudyId, IngestOutcome Outcome)> InsertWithJobAsync(Study upload, string? idempotencyKey, CancellationToken cancellationToken)
    {
        StudyRow study = StudyRow.From(upload);
        string now = StoredTime.Format(time.GetUtcNow());
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Two uploads of one request by one key at once cannot both miss the other.
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await database.Dialect.SerializeAsync(c, tx, $"upload:{study.UploadedBy}:{study.RequestSha256}").ConfigureAwait(false);
        (string Id, string Status)? existing = await c.QueryFirstOrDefaultAsync<(string, string)?>(
            "SELECT id, status FROM studies WHERE uploaded_by = @UploadedBy AND request_sha256 = @RequestSha256 AND request_sha256 <> '' ORDER BY uploaded_at, id LIMIT 1",
            new { study.UploadedBy, study.RequestSha256 },
            tx).ConfigureAwait(false);
        string id = existing?.Id ?? study.Id;
        IngestOutcome outcome;
        if (existing is null)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO studies (id, sha256, request_sha256, status, progress_percent, size_bytes, uploaded_at, uploaded_by, deidentified, channel_mappings,
                                     lights_off, lights_on, callback_url, start_time, duration_seconds, file_type, edf_warnings, label)
                VALUES (@Id, @Sha256, @RequestSha256, @Status, 0, @SizeBytes, @UploadedAt, @UploadedBy, @Deidentified, @ChannelMappings,
                        @LightsOff, @LightsOn, @CallbackUrl, @StartTime, @DurationSeconds, @FileType, @EdfWarnings, @Label)
                """,
                study,
                tx).ConfigureAwait(false);
            await c.ExecuteAsync(
                $"INSERT INTO jobs (study_id, status, attempts, next_attempt_at, created_at) VALUES (@id, '{JobStateText.Queued}', 0, @at, @at)",
                new { id, at = now },
                tx).ConfigureAwait(false);
            await c.ExecuteAsync(
                "INSERT INTO study_uploaders (study_id, api_key_id, uploaded_at) VALUES (@id, @by, @at)",
                new { id, by = study.UploadedBy, at = now },
                tx).ConfigureAwait(false);
            outcome = IngestOutcome.Created;
        }
        else if (existing.Value.Status == StudyStatus.Failed.ToText())
        {
            await JobStore.RequeueAsync(c, tx, id, now).ConfigureAwait(false); // the same request again: the caller's way to retry a failed study
            outcome = IngestOutcome.Requeued;
        }
        else
        {
            outcome = IngestOutcome.Existing;
        }

        if (idempotencyKey is not null)
        {
            await c.ExecuteAsync(
                $"UPDATE idempotency_keys SET state = '{IdempotencyKeyStateText.Done}', request_sha256 = @RequestSha256, study_id = @id, response_status = @status WHERE api_key_id = @UploadedBy AND idempotency_key = @idempotencyKey",
                new { study.RequestSha256, id, status = outcome.StatusCode(), study.UploadedBy, idempotencyKey },
                tx).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (id, outcome);
    }

    /// <summary>True when this API key uploaded the study (first or again).</summary>
    public async Task<bool> UploadedByAsync(string id, string apiKeyId, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM study_uploaders WHERE study_id = @id AND api_key_id = @apiKeyId", new { id, apiKeyId }).ConfigureAwait(false) > 0;
    }

    /// <summary>The study, or null when absent.</summary>
    /// <exception cref="StoredStudyException">Its row holds a status this version does not know.</exception>
    public async Task<Study?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QuerySingleOrDefaultAsync<StudyRow>($"{SelectStudy} WHERE s.id = @id", new { id }).ConfigureAwait(false))?.ToStudy();
    }

    public async Task<StudyPage> ListAsync(StudyQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("WHERE 1 = 1");
        var args = new DynamicParameters();
        if (query.Status is StudyStatus status)
        {
            where.Append(" AND s.status = @status");
            args.Add("status", status.ToText());
        }

        if (query.UploadedFrom is DateTimeOffset from)
        {
            where.Append(" AND s.uploaded_at >= @from");
            args.Add("from", StoredTime.Format(from));
        }

        if (query.UploadedTo is DateTimeOffset to)
        {
            where.Append(" AND s.uploaded_at < @to");
            args.Add("to", StoredTime.Format(to));
        }

        if (query.UploadedBy is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM study_uploaders u WHERE u.study_id = s.id AND u.api_key_id = @by)");
            args.Add("by", query.UploadedBy);
        }

        if (query.Label is not null)
        {
            // Substring match, case-insensitive; % and _ in the text match themselves ('!' escapes them).
            where.Append(" AND LOWER(s.label) LIKE @label ESCAPE '!'");
            string escaped = query.Label.ToLowerInvariant().Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal);
            args.Add("label", $"%{escaped}%");
        }

        if (query.Signed is bool signed)
        {
            where.Append(signed ? " AND EXISTS (SELECT 1 FROM study_signoffs f2 WHERE f2.study_id = s.id)" : " AND NOT EXISTS (SELECT 1 FROM study_signoffs f2 WHERE f2.study_id = s.id)");
        }

        args.Add("limit", query.PageSize);
        args.Add("offset", (query.Page - 1) * query.PageSize);
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        int total = await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM studies s {where}", args).ConfigureAwait(false);
        var items = await c.QueryAsync<StudyRow>($"{SelectStudy} {where} ORDER BY s.uploaded_at DESC, s.id LIMIT @limit OFFSET @offset", args).ConfigureAwait(false);
        return new StudyPage(Readable(items), total);
    }

    /// <summary>
    /// Studies being queued or scored, those of <paramref name="alsoIds"/> (to see them finish) and
    /// those uploaded since <paramref name="uploadedSince"/> (one may finish between two looks);
    /// only one key's uploads when <paramref name="uploadedBy"/> is set.
    /// </summary>
    public async Task<IReadOnlyList<Study>> ActiveAsync(IReadOnlyCollection<string> alsoIds, DateTimeOffset uploadedSince, string? uploadedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alsoIds);
        string mine = uploadedBy is null ? string.Empty : " AND EXISTS (SELECT 1 FROM study_uploaders u WHERE u.study_id = s.id AND u.api_key_id = @uploadedBy)";
        string also = alsoIds.Count == 0 ? string.Empty : $" OR {database.Dialect.IsIn("s.id", "@alsoIds")}";
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return Readable(await c.QueryAsync<StudyRow>(
            $"{SelectStudy} WHERE (s.status IN ('{StudyStatusText.Queued}', '{StudyStatusText.Scoring}') OR s.uploaded_at >= @since{also}){mine} ORDER BY s.uploaded_at",
            new { alsoIds = alsoIds.ToArray(), since = StoredTime.Format(uploadedSince), uploadedBy }).ConfigureAwait(false));
    }

    /// <summary>Deletes the study, its job and epochs (the correction audit stays); false when absent.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync("DELETE FROM idempotency_keys WHERE study_id = @id", new { id }, tx).ConfigureAwait(false);
        int deleted = await c.ExecuteAsync("DELETE FROM studies WHERE id = @id", new { id }, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted == 1;
    }

    /// <summary>Records the pipeline step and percent of a study being scored; false (nothing written) when <paramref name="job"/> is no longer its claimer's.</summary>
    public async Task<bool> SetProgressAsync(ClaimedJob job, string stage, double percent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Only while the claim holds the job: a node whose lease another node took over shows nothing.
        return await c.ExecuteAsync(
            $"""
            UPDATE studies SET status = '{StudyStatusText.Scoring}', stage = @stage, progress_percent = @percent
            WHERE id = @StudyId AND status IN ('{StudyStatusText.Queued}', '{StudyStatusText.Scoring}')
              AND EXISTS (SELECT 1 FROM jobs WHERE jobs.id = @Id AND jobs.status = '{JobStateText.Running}' AND jobs.claimed_by = @Claim)
            """,
            new { job.StudyId, job.Id, job.Claim, stage, percent }).ConfigureAwait(false) == 1;
    }

    /// <summary>Marks the study failed for good with the error shown to callers.</summary>
    public async Task SetFailedAsync(string id, string errorType, string detail, CancellationToken cancellationToken)
    {
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync($"UPDATE studies SET status = '{StudyStatusText.Failed}', stage = NULL, error_type = @errorType, error_detail = @detail WHERE id = @id", new { id, errorType, detail }).ConfigureAwait(false);
    }

    /// <summary>
    /// The studies of <paramref name="rows"/>; a row this version cannot read (a status of a newer
    /// version) is left out and logged by name, so one such row never breaks a listing.
    /// </summary>
    private List<Study> Readable(IEnumerable<StudyRow> rows)
    {
        var studies = new List<Study>();
        foreach (StudyRow row in rows)
        {
            try
            {
                studies.Add(row.ToStudy());
            }
            catch (StoredStudyException e)
            {
                logger.LogError("Study {StudyId} left out of a listing: {Problem}", e.StudyId, e.Message);
            }
        }

        return studies;
    }
}
