using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Signals;

/// <summary>
/// The streamed zero-phase filter against <see cref="ZeroPhaseFilter.Apply(Span{float})"/> on the
/// whole signal in one array: equal bit for bit, whatever the length (shorter than the edge
/// extension, around a chunk), the pieces pushed and where the forward pass is kept.
/// </summary>
public sealed class ZeroPhaseStreamTests
{
    public static TheoryData<int> Lengths => [1, 2, 5, 21, 22, 1000, ZeroPhaseStream.ChunkLength - 21, ZeroPhaseStream.ChunkLength, ZeroPhaseStream.ChunkLength + 7, (3 * ZeroPhaseStream.ChunkLength) + 123];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Finish_AnyLengthPushedInUnevenPieces_EqualsTheWholeSignalFilteredInMemory(int length)
    {
        ZeroPhaseFilter filter = ZeroPhaseFilter.BandPass(100);
        float[] signal = Noise(length, seed: length);
        float[] expected = (float[])signal.Clone();
        filter.Apply(expected);

        Assert.Equal(expected, Streamed(filter, signal, new MemoryStore<double>(ZeroPhaseStream.PassLength(filter, length)), seed: 1));
    }

    [Fact]
    public void Finish_ForwardPassInAFile_EqualsTheWholeSignalFilteredInMemory()
    {
        ZeroPhaseFilter filter = ZeroPhaseFilter.Notch(256, 50);
        int length = (2 * ZeroPhaseStream.ChunkLength) + 999;
        float[] signal = Noise(length, seed: 3);
        float[] expected = (float[])signal.Clone();
        filter.Apply(expected);
        string folder = Directory.CreateTempSubdirectory("zero-phase-stream-").FullName;
        try
        {
            using FileStore<double> pass = FileStore<double>.Temporary(Path.Combine(folder, "pass"), ZeroPhaseStream.PassLength(filter, length));
            Assert.Equal(expected, Streamed(filter, signal, pass, seed: 2));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Push_MoreThanTheStatedLength_Throws()
    {
        ZeroPhaseFilter filter = ZeroPhaseFilter.BandPass(100);
        var stream = new ZeroPhaseStream(filter, 10, new MemoryStore<double>(ZeroPhaseStream.PassLength(filter, 10)));
        stream.Push(new float[10]);
        Assert.Throws<InvalidOperationException>(() => stream.Push(new float[1]));
    }

    [Fact]
    public void Finish_BeforeEverySampleIsPushed_Throws()
    {
        ZeroPhaseFilter filter = ZeroPhaseFilter.BandPass(100);
        var stream = new ZeroPhaseStream(filter, 100, new MemoryStore<double>(ZeroPhaseStream.PassLength(filter, 100)));
        stream.Push(new float[99]);
        Assert.Throws<InvalidOperationException>(() => stream.Finish((_, _) => { }));
    }

    private static float[] Streamed(ZeroPhaseFilter filter, float[] signal, SampleStore<double> pass, int seed)
    {
        var stream = new ZeroPhaseStream(filter, signal.Length, pass);
        var random = new Random(seed);
        for (int at = 0; at < signal.Length;)
        {
            int n = Math.Min(signal.Length - at, random.Next(0, 5000));
            stream.Push(signal.AsSpan(at, n));
            at += n;
        }

        float[] result = new float[signal.Length];
        var seen = new bool[signal.Length];
        stream.Finish((start, values) =>
        {
            values.CopyTo(result.AsSpan((int)start));
            seen.AsSpan((int)start, values.Length).Fill(true);
        });
        Assert.All(seen, Assert.True); // every sample handed out
        return result;
    }

    private static float[] Noise(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(i => (float)((50 * Math.Sin(i / 7.0)) + (random.NextDouble() * 40) - 20 + 300))];
    }
}
