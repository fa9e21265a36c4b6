namespace SleepScoring.Model;

/// <summary>
/// Where the model folder is when nobody says: a path given explicitly, else the
/// <c>SLEEPSCORING_MODEL</c> environment variable, else the first <c>models/</c> folder holding a
/// card found walking up from each start folder in turn (the working folder, then the
/// executable's folder, so a tool installed anywhere finds the model shipped beside it).
/// </summary>
public static class ModelLocator
{
    /// <summary>The environment variable that names the model folder.</summary>
    public const string EnvironmentVariable = "SLEEPSCORING_MODEL";

    /// <summary>The folder name the shipped model lives under.</summary>
    public const string FolderName = "models";

    /// <summary>
    /// The model folder: <paramref name="explicitPath"/> (relative to <paramref name="relativeTo"/>,
    /// default the working folder) when given, else the environment variable, else the search.
    /// When nothing is found, the <c>models</c> folder under the first start, so that loading it
    /// fails with a message naming a path the user can act on.
    /// </summary>
    public static string Find(string? explicitPath, IReadOnlyList<string> searchFrom, string? relativeTo = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(searchFrom);
        string root = relativeTo ?? Directory.GetCurrentDirectory();
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath, root);
        }

        if ((environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment, root);
        }

        foreach (string start in searchFrom)
        {
            for (DirectoryInfo? folder = new(Path.GetFullPath(start, root)); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, FolderName);
                if (File.Exists(Path.Combine(candidate, ModelCard.FileName)))
                {
                    return candidate;
                }
            }
        }

        return Path.GetFullPath(FolderName, searchFrom.Count > 0 ? Path.GetFullPath(searchFrom[0], root) : root);
    }

    /// <summary>The search a command-line tool makes: the working folder, then the executable's folder.</summary>
    public static string ForTool(string? explicitPath) =>
        Find(explicitPath, [Directory.GetCurrentDirectory(), AppContext.BaseDirectory]);
}
