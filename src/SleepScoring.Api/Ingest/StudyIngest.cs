using System.Security.Cryptography;
using System.Text.Json;

using Microsoft.Extensions.Options;

using SleepScoring.Api.Hosting;
using SleepScoring.Api.Storage;
using SleepScoring.Edf;

namespace SleepScoring.Api.Ingest;

/// <summary>The outcome of an upload: the study holding the file, and whether this upload created it.</summary>
public sealed record IngestResult(string StudyId, bool Created);

/// <summary>The file is an EDF but not one the service can score (e.g. shorter than one epoch).</summary>
public sealed class UnscorableStudyException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Turns a received upload into a stored study and a queued scoring job: validates the whole
/// file with <see cref="EdfReader"/>, deduplicates by SHA-256, de-identifies the stored copy when
/// asked, moves it into <c>studies/{id}/</c> and inserts study and job in one transaction. Any
/// failure deletes the received file, so a rejected upload leaves nothing behind. Logs never name
/// patient fields: only ids, sizes and hashes.
/// </summary>
public sealed class StudyIngest(DataFolder folder, StudyStore studies, IOptions<StorageOptions> storage, IOptions<SecurityOptions> security, ILogger<StudyIngest> logger)
{
    /// <summary>The shortest study worth queueing: one 30-s epoch.</summary>
    private const double MinimumSeconds = 30;

    /// <summary>Receives the body, then stores and queues it.</summary>
    public async Task<IngestResult> IngestAsync(Stream body, UploadMetadata metadata, string apiKeyId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ReceivedFile received = await ReceiveAsync(body, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(received, metadata, apiKeyId, idempotencyKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams a body into <c>incoming/</c> (hashing, size limit, early header check).</summary>
    public Task<ReceivedFile> ReceiveAsync(Stream body, CancellationToken cancellationToken) =>
        UploadReceiver.ReceiveAsync(body, folder.NewIncomingPath(), storage.Value.MaxUploadBytes, cancellationToken);

    /// <summary>Validates, stores and queues a received file; the received file is gone afterwards whatever happens.</summary>
    public async Task<IngestResult> StoreAsync(ReceivedFile received, UploadMetadata metadata, string apiKeyId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(metadata);
        try
        {
            return await StoreCheckedAsync(received, metadata, apiKeyId, idempotencyKey, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(received.Path); // moved away on success; removed on every failure
        }
    }

    private async Task<IngestResult> StoreCheckedAsync(ReceivedFile received, UploadMetadata metadata, string apiKeyId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        EdfHeader header;
        string[] warnings;
        using (EdfReader reader = EdfReader.Open(received.Path))
        {
            header = reader.Header;
            warnings = [.. reader.Warnings.Select(w => $"{w.Code}: {w.Message}")];
        }

        if (header.Duration < MinimumSeconds)
        {
            throw new UnscorableStudyException("number of data records", $"the recording lasts {header.Duration} s; scoring needs at least one {MinimumSeconds}-s epoch");
        }

        if (metadata.LightsOnSeconds > header.Duration || metadata.LightsOffSeconds >= header.Duration)
        {
            throw new UnscorableStudyException(metadata.LightsOnSeconds > header.Duration ? "lights_on" : "lights_off", $"the lights period ({metadata.LightsOff ?? "start"}–{metadata.LightsOn ?? "end"} s) does not lie within the {header.Duration}-s recording");
        }

        bool deidentify = metadata.Deidentify is null ? security.Value.DeidentifyByDefault : bool.Parse(metadata.Deidentify);
        var row = new StudyRow
        {
            Id = "st_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Sha256 = received.Sha256,
            Status = StudyStatus.Queued,
            SizeBytes = received.Length,
            UploadedAt = Clock.Now(),
            UploadedBy = apiKeyId,
            Deidentified = deidentify,
            ChannelMappings = JsonSerializer.Serialize(metadata.ChannelMappings),
            LightsOff = metadata.LightsOffSeconds,
            LightsOn = metadata.LightsOnSeconds,
            CallbackUrl = metadata.CallbackUrl,
            StartTime = Clock.Format(DateTime.SpecifyKind(header.StartTime, DateTimeKind.Utc)),
            DurationSeconds = header.Duration,
            FileType = header.FileType.ToString(),
            EdfWarnings = JsonSerializer.Serialize(warnings),
            Label = metadata.Label,
        };

        if (deidentify)
        {
            HeaderDeidentifier.Deidentify(received.Path);
        }

        // The file goes in place before the row exists: a worker never sees a study without its file.
        string directory = folder.StudyDirectory(row.Id);
        Directory.CreateDirectory(directory);
        File.Move(received.Path, folder.StudyEdf(row.Id));
        (string id, bool created) = (row.Id, false);
        try
        {
            (id, created) = await studies.InsertWithJobAsync(row, idempotencyKey, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!created)
            {
                Directory.Delete(directory, recursive: true); // a duplicate of a stored file, or the insert failed
            }
        }

        logger.LogInformation("Study {StudyId} {Outcome}: {Bytes} bytes, SHA-256 {Sha256}, {Warnings} reader warning(s), de-identified {Deidentified}",
            id, created ? "queued" : "already stored", received.Length, received.Sha256, warnings.Length, deidentify);
        return new IngestResult(id, created);
    }
}
