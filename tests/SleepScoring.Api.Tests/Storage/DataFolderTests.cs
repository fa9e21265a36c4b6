using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>The data folder: one service per folder, and no half-received upload survives a restart.</summary>
public sealed class DataFolderTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sleepscoring-folder-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Lock_HeldByOneInstance_RefusesASecond()
    {
        using var first = new DataFolder(root);
        using var second = new DataFolder(root);
        first.Lock();

        IOException refused = Assert.Throws<IOException>(second.Lock);

        Assert.Contains(root, refused.Message, StringComparison.Ordinal);
        first.Dispose();
        second.Lock(); // released with the first
    }

    [Fact]
    public void ClearIncoming_RemovesPartialUploads_AndNothingElse()
    {
        using var folder = new DataFolder(root);
        string partial = folder.NewIncomingPath();
        File.WriteAllBytes(partial, [1, 2, 3]);
        Directory.CreateDirectory(folder.StudyDirectory("st_kept"));
        File.WriteAllBytes(folder.StudyEdf("st_kept"), [4]);

        folder.ClearIncoming();

        Assert.False(File.Exists(partial));
        Assert.True(File.Exists(folder.StudyEdf("st_kept")));
    }
}
