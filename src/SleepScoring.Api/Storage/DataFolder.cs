namespace SleepScoring.Api.Storage;

/// <summary>
/// The service's data folder: <c>sleepscoring.db</c>, <c>incoming/</c> (uploads being received)
/// and <c>studies/{id}/</c> (the stored EDF, the result JSON, the model bands). Holds an exclusive
/// lock file for the process's lifetime: one service per data folder, so jobs found running at
/// start belonged to a process that died and may be taken over.
/// </summary>
public sealed class DataFolder : IDisposable
{
    private FileStream? lockFile;

    public DataFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Incoming);
        Directory.CreateDirectory(Studies);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "sleepscoring.db");

    public string Incoming => Path.Combine(Root, "incoming");

    public string Studies => Path.Combine(Root, "studies");

    /// <summary>Takes the folder's lock; throws when another process holds it.</summary>
    /// <exception cref="IOException">Another service process uses this data folder.</exception>
    public void Lock()
    {
        try
        {
            lockFile ??= new FileStream(Path.Combine(Root, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The data folder '{Root}' is in use by another SleepScoring service process.", e);
        }
    }

    /// <summary>A new unique path under <c>incoming/</c> for an upload being received.</summary>
    public string NewIncomingPath() => Path.Combine(Incoming, Guid.NewGuid().ToString("N") + ".part");

    public string StudyDirectory(string studyId) => Path.Combine(Studies, studyId);

    public string StudyEdf(string studyId) => Path.Combine(StudyDirectory(studyId), "study.edf");

    public string ResultJson(string studyId) => Path.Combine(StudyDirectory(studyId), "result.json");

    public string ModelBands(string studyId) => Path.Combine(StudyDirectory(studyId), "bands.f32");

    /// <summary>Removes upload leftovers of a process that died while receiving.</summary>
    public void ClearIncoming()
    {
        foreach (string file in Directory.EnumerateFiles(Incoming))
        {
            File.Delete(file);
        }
    }

    public void Dispose()
    {
        lockFile?.Dispose();
        lockFile = null;
    }
}
