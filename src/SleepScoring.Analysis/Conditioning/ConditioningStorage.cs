using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// Where conditioning keeps a night: the conditioned 100-Hz derivations (tracks) and, while it
/// works, the forward passes of its zero-phase filters and the notched samples at the original
/// rate. <see cref="Memory"/> holds them in arrays (fast; memory grows with the recording);
/// <see cref="InFolder"/> keeps them in files read and written by position, so memory stays at a few
/// chunks per worker whatever the recording's length. The numbers are the same either way.
/// Disposing the storage removes the temporary files it made (tracks included: read the study first).
/// </summary>
public abstract class ConditioningStorage : IDisposable
{
    /// <summary>Everything in arrays.</summary>
    public static ConditioningStorage Memory { get; } = new MemoryStorage();

    /// <summary>Everything in temporary files under <paramref name="folder"/> (deleted when the storage is disposed).</summary>
    public static ConditioningStorage InFolder(string folder) => new FolderStorage(folder);

    /// <summary>The conditioned samples of a derivation: <paramref name="length"/> values, zero where nothing is written.</summary>
    public abstract SampleStore<float> NewTrack(long length);

    /// <summary>Space for <paramref name="length"/> doubles of a filter's forward pass (disposed after use).</summary>
    public abstract SampleStore<double> NewPass(long length);

    /// <summary>Space for <paramref name="length"/> floats of notched samples at the original rate (disposed after use).</summary>
    public abstract SampleStore<float> NewScratch(long length);

    /// <summary>
    /// A copy of <paramref name="source"/> run through <paramref name="filter"/> forward and backward,
    /// equal bit for bit to <see cref="ZeroPhaseFilter.Apply(Span{float})"/> over the whole signal,
    /// made a chunk at a time (<see cref="ZeroPhaseStream"/>) and kept in this storage.
    /// </summary>
    public SampleStore<float> Filtered(SampleStore<float> source, ZeroPhaseFilter filter)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(filter);
        SampleStore<float> copy = NewTrack(source.Length);
        using SampleStore<double> pass = NewPass(ZeroPhaseStream.PassLength(filter, source.Length));
        var stream = new ZeroPhaseStream(filter, source.Length, pass);
        float[] chunk = new float[(int)Math.Min(ZeroPhaseStream.ChunkLength, Math.Max(1, source.Length))];
        for (long at = 0; at < source.Length; at += chunk.Length)
        {
            Span<float> part = chunk.AsSpan(0, (int)Math.Min(chunk.Length, source.Length - at));
            source.Read(at, part);
            stream.Push(part);
        }

        stream.Finish((start, values) => copy.Write(start, values));
        return copy;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private sealed class MemoryStorage : ConditioningStorage
    {
        public override SampleStore<float> NewTrack(long length) => new MemoryStore<float>(length);

        public override SampleStore<double> NewPass(long length) => new MemoryStore<double>(length);

        public override SampleStore<float> NewScratch(long length) => new MemoryStore<float>(length);
    }

    private sealed class FolderStorage(string folder) : ConditioningStorage
    {
        private readonly List<IDisposable> made = [];

        public override SampleStore<float> NewTrack(long length) => Temporary<float>("track", length);

        public override SampleStore<double> NewPass(long length) => Temporary<double>("pass", length);

        public override SampleStore<float> NewScratch(long length) => Temporary<float>("scratch", length);

        protected override void Dispose(bool disposing)
        {
            lock (made)
            {
                made.ForEach(m => m.Dispose());
                made.Clear();
            }
        }

        private FileStore<T> Temporary<T>(string kind, long length)
            where T : unmanaged
        {
            FileStore<T> store = FileStore<T>.Temporary(Path.Combine(folder, $".conditioning-{kind}-{Guid.NewGuid():N}"), length);
            lock (made)
            {
                made.Add(store);
            }

            return store;
        }
    }
}
