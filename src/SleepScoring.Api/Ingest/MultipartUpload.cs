using FluentValidation;
using FluentValidation.Results;

using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

using SleepScoring.Api.Endpoints;

namespace SleepScoring.Api.Ingest;

/// <summary>
/// Reads a multipart/form-data upload section by section without buffering: the <c>file</c> part
/// streams to disk, the other parts are small metadata fields (in any order around the file).
/// </summary>
public static class MultipartUpload
{
    private const int MaxFieldBytes = 4096, MaxFields = 100;

    /// <summary>
    /// The received file (in <c>incoming/</c>, owned by the caller from here) and its validated
    /// metadata, or the problem to answer with (nothing is left on disk then).
    /// </summary>
    public static async Task<(ReceivedFile? File, UploadMetadata? Metadata, IResult? Problem)> ReceiveAsync(
        HttpRequest request,
        MediaTypeHeaderValue media,
        StudyIngest ingest,
        IValidator<UploadMetadata> validator,
        bool hasCallbackSecret,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(validator);
        string boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value ?? string.Empty;
        if (boundary.Length is 0 or > 200)
        {
            return (null, null, Problems.Field("Content-Type", "multipart/form-data needs a boundary of 1–200 characters"));
        }

        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        ReceivedFile? file = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            int count = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is MultipartSection section)
            {
                if (++count > MaxFields)
                {
                    return (null, null, Problems.Field("multipart", $"more than {MaxFields} parts"));
                }

                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition) || disposition.Name.Value is null)
                {
                    return (null, null, Problems.Field("multipart", "every part needs a Content-Disposition with a name"));
                }

                string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value!;
                if (name == "file")
                {
                    if (file is not null)
                    {
                        return (null, null, Problems.Field("file", "only one file part is accepted"));
                    }

                    file = await ingest.ReceiveAsync(section.Body, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    string? value = await ReadFieldAsync(section.Body, cancellationToken).ConfigureAwait(false);
                    if (value is null)
                    {
                        return (null, null, Problems.Field(name, $"form field longer than {MaxFieldBytes} bytes"));
                    }

                    (fields.TryGetValue(name, out List<string>? list) ? list : fields[name] = []).Add(value);
                }
            }

            if (file is null)
            {
                return (null, null, Problems.Field("file", "the multipart body has no part named 'file' holding the EDF"));
            }

            UploadMetadata metadata = UploadMetadata.From(n => fields.TryGetValue(n, out List<string>? v) ? new StringValues([.. v]) : StringValues.Empty, hasCallbackSecret);
            ValidationResult validation = await validator.ValidateAsync(metadata, cancellationToken).ConfigureAwait(false);
            if (!validation.IsValid)
            {
                return (null, null, Problems.Validation(validation));
            }

            ReceivedFile received = file;
            file = null; // the caller owns (and removes) it from here
            return (received, metadata, null);
        }
        catch (InvalidDataException e)
        {
            return (null, null, Problems.Field("multipart", e.Message)); // malformed multipart framing
        }
        catch (IOException)
        {
            // The multipart reader's "Unexpected end of Stream": an empty body or no closing boundary.
            return (null, null, Problems.Field("multipart", "the multipart body ended early: it needs every part and the closing boundary"));
        }
        finally
        {
            if (file is not null)
            {
                File.Delete(file.Path);
            }
        }
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxFieldBytes + 1];
        int total = 0, read;
        while (total < buffer.Length && (read = await UploadReceiver.ReadAsync(body, buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total > MaxFieldBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }
}
