using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Tests.Signals;

public sealed class SampleStoreTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sample-store-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void FileStore_WrittenInPieces_ReadsBackWhatWasWrittenAndZerosElsewhere()
    {
        using FileStore<float> store = FileStore<float>.Temporary(Path.Combine(folder, "track"), 100_000);
        store.Write(10, [1f, 2f, 3f]);
        store.Write(99_998, [4f, 5f]);

        float[] all = store.ToArray();

        Assert.Equal(100_000, all.Length);
        Assert.Equal([0f, 1f, 2f, 3f, 0f], all[9..14]);
        Assert.Equal([0f, 4f, 5f], all[^3..]);
        Assert.Equal(5, all.Count(v => v != 0));
    }

    [Fact]
    public void FileStore_OutsideItsRegion_Throws()
    {
        using FileStore<double> store = FileStore<double>.Temporary(Path.Combine(folder, "pass"), 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Write(7, [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Read(-1, new double[1]));
    }

    [Fact]
    public void FileStore_RegionsOfOneFile_DoNotOverlap()
    {
        using var file = new FileStream(Path.Combine(folder, "bands"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 0);
        using var first = new FileStore<float>(file.SafeFileHandle, 16, 4);
        using var second = new FileStore<float>(file.SafeFileHandle, 16 + (4 * sizeof(float)), 4);
        first.Write(0, [1f, 2f, 3f, 4f]);
        second.Write(0, [5f, 6f, 7f, 8f]);

        Assert.Equal([1f, 2f, 3f, 4f], first.ToArray());
        Assert.Equal([5f, 6f, 7f, 8f], second.ToArray());
        Assert.Equal(16 + (8 * sizeof(float)), file.Length);
    }

    [Fact]
    public void FileStore_Temporary_IsOwnerOnlyAndGoneWhenDisposed()
    {
        string path = Path.Combine(folder, "scratch");
        using (FileStore<float> store = FileStore<float>.Temporary(path, 4))
        {
            Assert.True(File.Exists(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void MemoryStore_ReadAndWrite_ActOnItsArray()
    {
        float[] array = new float[5];
        using var store = new MemoryStore<float>(array);
        store.Write(1, [7f, 8f]);
        float[] read = new float[3];
        store.Read(0, read);

        Assert.Equal([0f, 7f, 8f], read);
        Assert.Same(array, store.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Write(4, [1f, 2f]));
    }
}
