using System.Runtime.InteropServices;

using Microsoft.Win32.SafeHandles;

namespace SleepScoring.Analysis.Signals;

/// <summary>
/// A fixed-length run of numbers read and written by position: the conditioned signals of a study
/// and the intermediate passes of a long filter. In memory (<see cref="MemoryStore{T}"/>) or in a
/// file read and written by position (<see cref="FileStore{T}"/>), so that a night of any length
/// holds only the chunk being worked on in memory. The values are the same either way.
/// </summary>
/// <typeparam name="T">float (signals) or double (filter passes).</typeparam>
public abstract class SampleStore<T> : IDisposable
    where T : unmanaged
{
    private const int CopyChunk = 1 << 16;

    /// <summary>Number of values.</summary>
    public abstract long Length { get; }

    /// <summary>Copies the values at [<paramref name="start"/>, <paramref name="start"/> + destination.Length) into <paramref name="destination"/>.</summary>
    public abstract void Read(long start, Span<T> destination);

    /// <summary>Stores <paramref name="values"/> at [<paramref name="start"/>, <paramref name="start"/> + values.Length).</summary>
    public abstract void Write(long start, ReadOnlySpan<T> values);

    /// <summary>All values as one array: a memory store's own array; a file store's values read whole (as large as the store).</summary>
    public abstract T[] ToArray();

    /// <summary>
    /// Copies the values into the start of <paramref name="destination"/> a chunk at a time (never
    /// the whole store in memory); an empty store copies nothing.
    /// </summary>
    public void CopyTo(SampleStore<T> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Length < Length)
        {
            throw new ArgumentException($"{Length} values do not fit a store of {destination.Length}.", nameof(destination));
        }

        T[] chunk = new T[(int)Math.Min(CopyChunk, Math.Max(1, Length))];
        for (long at = 0; at < Length; at += chunk.Length)
        {
            Span<T> part = chunk.AsSpan(0, (int)Math.Min(chunk.Length, Length - at));
            Read(at, part);
            destination.Write(at, part);
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Throws unless [start, start + count) lies within the store.</summary>
    protected void CheckRange(long start, int count)
    {
        if (start < 0 || start + count > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"[{start}, {start + count}) is outside the store of {Length} values.");
        }
    }
}

/// <summary>A <see cref="SampleStore{T}"/> over an array.</summary>
public sealed class MemoryStore<T>(T[] array) : SampleStore<T>
    where T : unmanaged
{
    /// <summary>A zeroed store of <paramref name="length"/> values.</summary>
    public MemoryStore(long length)
        : this(new T[checked((int)length)])
    {
    }

    public override long Length => array.LongLength;

    public override void Read(long start, Span<T> destination)
    {
        CheckRange(start, destination.Length);
        array.AsSpan((int)start, destination.Length).CopyTo(destination);
    }

    public override void Write(long start, ReadOnlySpan<T> values)
    {
        CheckRange(start, values.Length);
        values.CopyTo(array.AsSpan((int)start));
    }

    public override T[] ToArray() => array;
}

/// <summary>
/// A <see cref="SampleStore{T}"/> in a region of a file, read and written by position (no memory
/// map: what is not being worked on stays on disk, not in the process's resident memory). The
/// region starts zeroed (a sparse file).
/// </summary>
public sealed class FileStore<T> : SampleStore<T>
    where T : unmanaged
{
    private static readonly int Size = Marshal.SizeOf<T>();

    private readonly SafeFileHandle handle;
    private readonly long offset;
    private readonly long length;
    private readonly IDisposable? owner;

    /// <summary>A store over <paramref name="length"/> values from byte <paramref name="offset"/> of an open file (the caller keeps it open).</summary>
    public FileStore(SafeFileHandle handle, long offset, long length)
        : this(handle, offset, length, null)
    {
    }

    private FileStore(SafeFileHandle handle, long offset, long length, IDisposable? owner)
    {
        this.handle = handle ?? throw new ArgumentNullException(nameof(handle));
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        this.offset = offset;
        this.length = length;
        this.owner = owner;
        long end = offset + (length * Size);
        if (RandomAccess.GetLength(handle) < end)
        {
            RandomAccess.SetLength(handle, end);
        }
    }

    public override long Length => length;

    /// <summary>A new file of <paramref name="length"/> zeroed values at <paramref name="path"/>, deleted when the store is disposed.</summary>
    public static FileStore<T> Temporary(string path, long length)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, Options = FileOptions.DeleteOnClose, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // may hold a patient's signals
        }

        var file = new FileStream(path, options);
        return new FileStore<T>(file.SafeFileHandle, 0, length, file);
    }

    public override void Read(long start, Span<T> destination)
    {
        CheckRange(start, destination.Length);
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        long at = offset + (start * Size);
        while (!bytes.IsEmpty)
        {
            int read = RandomAccess.Read(handle, bytes, at);
            if (read <= 0)
            {
                bytes.Clear(); // beyond what was written: a sparse file's zeros
                return;
            }

            bytes = bytes[read..];
            at += read;
        }
    }

    public override void Write(long start, ReadOnlySpan<T> values)
    {
        CheckRange(start, values.Length);
        RandomAccess.Write(handle, MemoryMarshal.AsBytes(values), offset + (start * Size));
    }

    public override T[] ToArray()
    {
        T[] all = new T[checked((int)length)];
        Read(0, all);
        return all;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            owner?.Dispose();
        }
    }
}
