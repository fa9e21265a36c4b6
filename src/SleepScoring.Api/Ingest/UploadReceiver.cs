using System.Security.Cryptography;

using SleepScoring.Api.Storage;
using SleepScoring.Edf;

namespace SleepScoring.Api.Ingest;

/// <summary>An upload on disk: where, how big, its SHA-256.</summary>
public sealed record ReceivedFile(string Path, long Length, string Sha256);

/// <summary>The upload is larger than the configured limit.</summary>
public sealed class UploadTooLargeException(long limit)
    : Exception($"the upload exceeds the limit of {limit} bytes (Storage:MaxUploadBytes)")
{
    public long Limit { get; } = limit;
}

/// <summary>The request body ended early or broke off (a client that disconnected, a multipart body without its closing boundary).</summary>
public sealed class IncompleteBodyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Streams a request body to a file while hashing it (SHA-256), with a size limit, and checks the
/// fixed EDF header as soon as it has arrived. On any failure the partial file is deleted.
/// </summary>
public static class UploadReceiver
{
    private const int BufferSize = 81920;

    /// <summary>Reads the next bytes of the body; a body that breaks off is the client's fault, not the storage's.</summary>
    public static async ValueTask<int> ReadAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw new IncompleteBodyException("the request body ended before the upload was complete (a multipart body needs its closing boundary)", e);
        }
    }

    /// <summary>Receives <paramref name="body"/> into <paramref name="path"/>.</summary>
    /// <exception cref="EdfFormatException">The fixed header is not EDF (checked before the rest is read).</exception>
    /// <exception cref="UploadTooLargeException">More than <paramref name="maxBytes"/> bytes.</exception>
    public static async Task<ReceivedFile> ReceiveAsync(Stream body, string path, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        byte[] header = new byte[EdfHeader.FixedPartLength];
        long total = 0;
        try
        {
            await using (var file = new FileStream(path, OwnerOnly.NewFile(FileMode.CreateNew, BufferSize, FileOptions.Asynchronous)))
            {
                int read;
                while ((read = await ReadAsync(body, buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (total < header.Length)
                    {
                        int take = (int)Math.Min(read, header.Length - total);
                        buffer.AsSpan(0, take).CopyTo(header.AsSpan((int)total));
                        if (total + take == header.Length)
                        {
                            EdfHeader.CheckFixedPart(header);
                        }
                    }

                    total += read;
                    if (total > maxBytes)
                    {
                        throw new UploadTooLargeException(maxBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }

            if (total < header.Length)
            {
                EdfHeader.CheckFixedPart(header.AsSpan(0, (int)total));
            }

            return new ReceivedFile(path, total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
