namespace SleepScoring.Api.Storage;

/// <summary>
/// The modes of everything the service creates in its data folder: patient data is readable by the
/// service's own user only (files 0600, folders 0700), whatever the process umask.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) as 0700, and makes an existing one 0700.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, Folder);
        System.IO.File.SetUnixFileMode(path, Folder); // an existing folder keeps its mode otherwise
    }

    /// <summary>Makes an existing file owner-only (files created before this rule, or by a library).</summary>
    public static void RestrictFile(string path)
    {
        if (!OperatingSystem.IsWindows() && System.IO.File.Exists(path))
        {
            System.IO.File.SetUnixFileMode(path, File);
        }
    }

    /// <summary>Options to create a new file for writing, 0600.</summary>
    public static FileStreamOptions NewFile(FileMode mode = FileMode.Create, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var o = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = bufferSize, Options = options };
        if (!OperatingSystem.IsWindows())
        {
            o.UnixCreateMode = File;
        }

        return o;
    }
}
