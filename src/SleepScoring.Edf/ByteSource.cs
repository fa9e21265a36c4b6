using Microsoft.Win32.SafeHandles;

namespace SleepScoring.Edf;

/// <summary>Positional reads from a file or a seekable stream; short reads become <see cref="EdfFormatException"/>.</summary>
internal abstract class ByteSource : IDisposable
{
    /// <summary>Length of the file in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Fills <paramref name="destination"/> with the bytes at <paramref name="offset"/>.</summary>
    public void ReadExactly(long offset, Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = ReadAt(offset + total, destination[total..]);
            if (read <= 0)
            {
                throw new EdfFormatException("file", offset + total, null, $"ends early: {destination.Length - total} more bytes expected (the file changed or is shorter than it reported)", "data");
            }

            total += read;
        }
    }

    public abstract void Dispose();

    protected abstract int ReadAt(long offset, Span<byte> destination);

    public static ByteSource ForFile(string path) => new FileSource(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess));

    public static ByteSource ForStream(Stream stream, bool leaveOpen) => new StreamSource(stream, leaveOpen);

    /// <summary>pread on a file handle: no shared position, no user-space copy.</summary>
    private sealed class FileSource(SafeFileHandle handle) : ByteSource
    {
        private readonly long _length = RandomAccess.GetLength(handle);

        public override long Length => _length;

        public override void Dispose() => handle.Dispose();

        protected override int ReadAt(long offset, Span<byte> destination) => RandomAccess.Read(handle, destination, offset);
    }

    private sealed class StreamSource(Stream stream, bool leaveOpen) : ByteSource
    {
        private readonly long _length = stream.Length;

        public override long Length => _length;

        public override void Dispose()
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }
        }

        protected override int ReadAt(long offset, Span<byte> destination)
        {
            if (stream.Position != offset)
            {
                stream.Seek(offset, SeekOrigin.Begin);
            }

            return stream.Read(destination);
        }
    }
}
