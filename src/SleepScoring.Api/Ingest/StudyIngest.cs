using System.Security.Cryptography;

using Microsoft.Extensions.Options;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Api.Domain;
using SleepScoring.Api.Hosting;
using SleepScoring.Api.Jobs;
using SleepScoring.Api.Storage;
using SleepScoring.Edf;

namespace SleepScoring.Api.Ingest;

/// <summary>The outcome of an upload: the study that answers it, and what the upload did.</summary>
public sealed record IngestResult(string StudyId, IngestOutcome Outcome);

/// <summary>The file is an EDF but not one the service can score (e.g. shorter than one epoch).</summary>
public sealed class UnscorableStudyException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Turns a received upload into a stored study and a queued scoring job: validates the whole
/// file (<see cref="EdfFileCheck"/>: header, every TAL, duration and rate bounds), de-identifies
/// the stored copy when asked, moves it into <c>studies/{id}/</c> and inserts study and job in one
/// transaction. Each upload request is its own study; only a repeat of the same request (same key,
/// same <see cref="UploadFingerprint"/>) answers with the study it made. Any failure deletes the
/// received file, so a rejected upload leaves nothing behind. Logs never name patient fields:
/// only ids, sizes and hashes.
/// </summary>
public sealed class StudyIngest(DataFolder folder, IStudyStore studies, ModelProvider models, IOptions<StorageOptions> storage, IOptions<SecurityOptions> security, TimeProvider time, ILogger<StudyIngest> logger)
{
    /// <summary>The shortest study worth queueing: one 30-s epoch.</summary>
    private const double MinimumSeconds = 30;

    /// <summary>What an upload may hold: the 72 h a study may last, and signals up to 20 kHz (PSG amplifiers record ≤ a few kHz).</summary>
    public static readonly EdfFileLimits Limits = new(EpochGrid.MaxDurationSeconds, MaxSamplingRate: 20_000);

    /// <summary>Whether the stored copy of this upload is de-identified: as asked, else the configured default.</summary>
    public bool Deidentifies(UploadMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.Deidentify is null ? security.Value.DeidentifyByDefault : bool.Parse(metadata.Deidentify);
    }

    /// <summary>The fingerprint of the request that sent <paramref name="received"/> with <paramref name="metadata"/>.</summary>
    public string Fingerprint(ReceivedFile received, UploadMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(received);
        return UploadFingerprint.Of(received.Sha256, metadata, Deidentifies(metadata));
    }

    /// <summary>Streams a body into <c>incoming/</c> (hashing, size limit, early header check).</summary>
    public Task<ReceivedFile> ReceiveAsync(Stream body, CancellationToken cancellationToken) =>
        UploadReceiver.ReceiveAsync(body, folder.NewIncomingPath(), storage.Value.MaxUploadBytes, cancellationToken);

    /// <summary>Validates, stores and queues a received file; the received file is gone afterwards whatever happens.</summary>
    /// <param name="received">The file in <c>incoming/</c>.</param>
    /// <param name="metadata">The upload's validated settings.</param>
    /// <param name="apiKeyId">The uploading key.</param>
    /// <param name="idempotencyKey">The Idempotency-Key this request holds (claimed), or null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
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
        // The whole file, every TAL included, is read now: a file accepted here reads without a format error later.
        EdfFileSummary summary = EdfFileCheck.Check(received.Path, Limits);
        EdfHeader header = summary.Header;
        string[] warnings = [.. summary.Warnings.Select(w => $"{w.Code}: {w.Message}")];

        if (header.Duration < MinimumSeconds)
        {
            throw new UnscorableStudyException("number of data records", $"the recording lasts {header.Duration} s; scoring needs at least one {MinimumSeconds}-s epoch");
        }

        if (metadata.LightsOnSeconds > header.Duration || metadata.LightsOffSeconds >= header.Duration)
        {
            throw new UnscorableStudyException(metadata.LightsOnSeconds > header.Duration ? "lights_on" : "lights_off", $"the lights period ({metadata.LightsOff ?? "start"}–{metadata.LightsOn ?? "end"} s) does not lie within the {header.Duration}-s recording");
        }

        CheckMontage(summary.Signals, metadata.ChannelMappings);
        bool deidentify = Deidentifies(metadata);
        var row = new Study
        {
            Id = "st_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Sha256 = received.Sha256,
            RequestSha256 = Fingerprint(received, metadata),
            Status = StudyStatus.Queued,
            SizeBytes = received.Length,
            UploadedAt = time.GetUtcNow(),
            UploadedBy = apiKeyId,
            Deidentified = deidentify,
            ChannelMappings = metadata.ChannelMappings,
            LightsOff = metadata.LightsOffSeconds,
            LightsOn = metadata.LightsOnSeconds,
            CallbackUrl = metadata.CallbackUrl,
            StartTime = new DateTimeOffset(DateTime.SpecifyKind(header.StartTime, DateTimeKind.Utc)),
            DurationSeconds = header.Duration,
            FileType = header.FileType.ToString(),
            EdfWarnings = warnings,
            Label = metadata.Label,
        };

        EdfDeidentifyResult? removed = deidentify
            ? EdfDeidentifier.Deidentify(received.Path, new EdfDeidentifyOptions { AnnotationText = AnnotationVocabulary.Keep })
            : null;

        // The file goes in place before the row exists: a worker never sees a study without its file.
        string directory = folder.CreateStudyDirectory(row.Id);
        File.Move(received.Path, folder.StudyEdf(row.Id));
        (string id, IngestOutcome outcome) = (row.Id, IngestOutcome.Existing);
        try
        {
            (id, outcome) = await studies.InsertWithJobAsync(row, idempotencyKey, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (outcome != IngestOutcome.Created)
            {
                Directory.Delete(directory, recursive: true); // a repeat of a stored request, or the insert failed
            }
        }

        logger.LogInformation("Study {StudyId} {Outcome}: {Bytes} bytes, SHA-256 {Sha256}, {Warnings} reader warning(s), de-identified {Deidentified} (annotations kept {Kept}, normalised {Replaced}, blanked {Blanked})",
            id, outcome switch { IngestOutcome.Created => "queued", IngestOutcome.Requeued => "queued again (a repeat of a failed request)", _ => "already stored (a repeat of the request)" }, received.Length, received.Sha256, warnings.Length, deidentify, removed?.AnnotationsKept, removed?.AnnotationsReplaced, removed?.AnnotationsBlanked);
        return new IngestResult(id, outcome);
    }

    /// <summary>
    /// The labels (and the upload's mappings) must give the model's derivations: a study accepted
    /// here does not fail later for want of an EEG channel. Without a loadable model yet, the
    /// montage's own required derivations are checked; the rest waits for the model.
    /// </summary>
    private void CheckMontage(IReadOnlyList<EdfSignal> signals, IReadOnlyList<string> mappings)
    {
        StudyMontage montage;
        try
        {
            montage = MontageResolver.Resolve(StudySignals.FromEdf(signals), mappings);
        }
        catch (MontageException e)
        {
            throw new UnscorableStudyException(mappings.Count > 0 ? "map" : "label", e.Message);
        }

        IReadOnlyList<string> needed = models.TryCheck() ? models.Card?.Input.Derivations ?? [] : [];
        string[] missing = [.. needed.Where(name => montage.Sources.All(s => s.Derivation.Name != name))];
        if (missing.Length > 0)
        {
            throw new UnscorableStudyException(mappings.Count > 0 ? "map" : "label", $"the model reads {string.Join(", ", missing)}, which no signal label gives (found: {string.Join(", ", montage.Sources.Select(s => s.Derivation.Name))}); name the signal with map=LABEL={missing[0]}");
        }
    }
}
