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

    [Fact]
    public void ClearIncoming_RemovesTheFilesOfAKilledRun_AndOnASharedFolderOnlyOldOnes()
    {
        using var folder = new DataFolder(root);
        folder.CreateStudyDirectory("st_1");
        File.WriteAllBytes(folder.StudyEdf("st_1"), [4]);
        File.WriteAllBytes(folder.ModelSignals("st_1"), [5]);
        var killed = new ClaimedJob(1, "st_1", 1, "node-a:1:x:1");
        var live = new ClaimedJob(1, "st_1", 2, "node-b:2:y:1");
        string old = folder.PendingModelSignals(killed), oldJson = folder.PendingResultJson(killed) + ".tmp", running = folder.PendingModelSignals(live);
        foreach (string file in new[] { old, oldJson, running })
        {
            File.WriteAllBytes(file, [6]);
        }

        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-7));
        File.SetLastWriteTimeUtc(oldJson, DateTime.UtcNow.AddHours(-7));

        folder.ClearIncoming(DateTimeOffset.UtcNow.AddHours(-6)); // nodes sharing the folder: another may be scoring now
        Assert.Equal([false, false, true], new[] { old, oldJson, running }.Select(File.Exists));

        folder.ClearIncoming(); // the only process: nothing runs
        Assert.False(File.Exists(running));
        Assert.True(File.Exists(folder.StudyEdf("st_1")));
        Assert.True(File.Exists(folder.ModelSignals("st_1")));
    }
}
