namespace SleepScoring.Edf.Tests;

/// <summary>Reading one signal streams record by record: it never allocates anything like the file.</summary>
public sealed class EdfReaderStreamingTests(EightHourNight night) : IClassFixture<EightHourNight>
{
    private const int Records = EightHourNight.Records;
    private readonly string _path = night.Path;

    [Fact]
    public void ReadingOneSignalInChunks_AllocatesLittleComparedToTheFile()
    {
        using EdfReader reader = EdfReader.Open(_path);
        long fileBytes = new FileInfo(_path).Length;
        float[] chunk = new float[4096];
        int[] check = new int[4096];
        _ = reader.ReadPhysical(1, 0, chunk); // warm the buffer pool

        long before = GC.GetAllocatedBytesForCurrentThread();
        long total = 0;
        for (long first = 0; first < reader.Signals[1].SampleCount; first += chunk.Length)
        {
            total += reader.ReadPhysical(1, first, chunk);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Records * 3000L, total);
        Assert.True(fileBytes > 17_000_000);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes while streaming a {fileBytes}-byte file");

        // And the values are the written ones: digital sample i of signal 1 is (short)(i·31 + 1).
        int read = reader.ReadDigital(1, 1_000_000, check);
        Assert.Equal(4096, read);
        Assert.Equal(Enumerable.Range(1_000_000, 4096).Select(i => (int)(short)((i * 31) + 1)), check);
    }

    [Fact]
    public void ReadingOneWholeSignal_AllocatesOnlyItsOwnSamples()
    {
        using EdfReader reader = EdfReader.Open(_path);
        _ = reader.ReadPhysical(5);

        long before = GC.GetAllocatedBytesForCurrentThread();
        float[] eeg = reader.ReadPhysical(0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 2,880,000 floats = 11.5 MB of result; everything else must be small.
        Assert.Equal(Records * 3000, eeg.Length);
        Assert.InRange(allocated - (eeg.Length * 4L), 0, 256 * 1024);
    }

    [Fact]
    public void ReadAllPhysical_EqualsReadingEachSignal()
    {
        using EdfReader reader = EdfReader.Open(_path);

        float[][] all = reader.ReadAllPhysical();

        for (int s = 0; s < 7; s++)
        {
            Assert.Equal(reader.ReadPhysical(s), all[s]);
        }

        Assert.Empty(all[7]); // the annotation signal
    }

}

/// <summary>8 hours of 30-s records: 3 signals at 100 Hz and 4 at 1 Hz → 960 records × 18,240 bytes ≈ 17.5 MB, written once.</summary>
public sealed class EightHourNight : IDisposable
{
    public const int Records = 960;

    public EightHourNight()
    {
        EdfWriter writer = new() { RecordDuration = 30 };
        for (int s = 0; s < 7; s++)
        {
            int perRecord = s < 3 ? 3000 : 30;
            int[] digital = new int[Records * perRecord];
            for (int i = 0; i < digital.Length; i++)
            {
                digital[i] = (short)((i * 31) + s); // wraps through the whole 16-bit range
            }

            writer.AddDigitalSignal(new EdfSignalSpec($"S{s}", -500, 500, perRecord), digital);
        }

        writer.Write(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edf-streaming-{Guid.NewGuid():N}.edf");

    public void Dispose() => File.Delete(Path);
}
