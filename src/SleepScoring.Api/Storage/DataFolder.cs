namespace SleepScoring.Api.Storage;

/// <summary>
/// The service's data folder: <c>sleepscoring.db</c>, <c>incoming/</c> (uploads being received),
/// <c>scratch/</c> (scoring runs' temporary files) and <c>studies/{id}/</c> (the stored EDF, the
/// result JSON, the model signals). With SQLite it holds an exclusive lock file for the process's
/// lifetime: one service per data folder, so jobs found running at start belonged to a process that
/// died and may be taken over. With PostgreSQL the folder is shared by every node (a network volume)
/// and not locked: job leases say who scores what. Everything in it is owner-only
/// (<see cref="OwnerOnly"/>: folders 0700, files 0600).
/// </summary>
public sealed class DataFolder : IDisposable
{
    private FileStream? lockFile;

    public DataFolder(string root)
    {
        Root = Path.GetFullPath(root);
        OwnerOnly.CreateFolder(Root);
        OwnerOnly.CreateFolder(Incoming);
        OwnerOnly.CreateFolder(Studies);
        OwnerOnly.CreateFolder(Scratch);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "sleepscoring.db");

    public string Incoming => Path.Combine(Root, "incoming");

    public string Studies => Path.Combine(Root, "studies");

    /// <summary>Scratch files of scoring runs (a night's filter passes): removed when a run ends, and at start.</summary>
    public string Scratch => Path.Combine(Root, "scratch");

    /// <summary>Takes the folder's lock; throws when another process holds it.</summary>
    /// <exception cref="IOException">Another service process uses this data folder.</exception>
    public void Lock()
    {
        try
        {
            FileStreamOptions options = OwnerOnly.NewFile(FileMode.OpenOrCreate);
            options.Access = FileAccess.ReadWrite;
            lockFile ??= new FileStream(Path.Combine(Root, ".lock"), options);
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

    public string ModelSignals(string studyId) => Path.Combine(StudyDirectory(studyId), "bands.f32"); // name kept from the first data folders

    /// <summary>
    /// Where one claim's run writes the model signals before its result is stored: unique per claim
    /// (nodes in containers may share a process id), moved into place by <c>ResultWriter</c> only while
    /// the claim still holds the job, so a node that lost its lease never replaces another's file.
    /// </summary>
    public string PendingModelSignals(ClaimedJob job) => $"{ModelSignals(job.StudyId)}.{ClaimTag(job)}.pending";

    /// <summary>Where one claim's run writes the result JSON before it is stored (see <see cref="PendingModelSignals"/>).</summary>
    public string PendingResultJson(ClaimedJob job) => $"{ResultJson(job.StudyId)}.{ClaimTag(job)}.pending";

    /// <summary>A file-name-safe tag of the claim (its text holds host names and colons).</summary>
    private static string ClaimTag(ClaimedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(job.Claim)))[..16];
    }

    /// <summary>Creates the folder of a new study (0700).</summary>
    public string CreateStudyDirectory(string studyId)
    {
        string directory = StudyDirectory(studyId);
        OwnerOnly.CreateFolder(directory);
        return directory;
    }

    /// <summary>
    /// Null when new files can be written where uploads and results go (a probe file is written,
    /// flushed to disk and removed in <c>incoming/</c> and <c>studies/</c>); otherwise why not,
    /// without the path.
    /// </summary>
    public string? WriteProblem()
    {
        foreach ((string name, string folder) in new[] { ("incoming", Incoming), ("studies", Studies) })
        {
            string probe = Path.Combine(folder, $".probe-{Guid.NewGuid():N}");
            try
            {
                using (var file = new FileStream(probe, OwnerOnly.NewFile(FileMode.CreateNew)))
                {
                    file.WriteByte(1);
                    file.Flush(flushToDisk: true);
                }

                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"the data folder's {name}/ cannot be written ({e.GetType().Name})";
            }
        }

        return null;
    }

    /// <summary>
    /// Removes upload, scratch and pending-result leftovers of a process that died while receiving or
    /// scoring (a killed run's <see cref="PendingModelSignals"/> and <see cref="PendingResultJson"/> stay
    /// in its study's folder: the next claim writes under other names): all of them when this is the
    /// only process, or (nodes sharing the folder) those last changed before <paramref name="changedBefore"/>,
    /// since another node may be receiving or scoring with the others now.
    /// </summary>
    public void ClearIncoming(DateTimeOffset? changedBefore = null)
    {
        IEnumerable<string> pending = Directory.EnumerateFiles(Studies, "*.pending*", SearchOption.AllDirectories);
        foreach (string file in Directory.EnumerateFiles(Incoming).Concat(Directory.EnumerateFiles(Scratch)).Concat(pending))
        {
            if (changedBefore is not DateTimeOffset cutoff || File.GetLastWriteTimeUtc(file) < cutoff.UtcDateTime)
            {
                File.Delete(file);
            }
        }
    }

    public void Dispose()
    {
        lockFile?.Dispose();
        lockFile = null;
    }
}
