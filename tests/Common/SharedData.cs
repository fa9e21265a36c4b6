namespace SleepScoring.Tests.Common;

/// <summary>
/// Locates the read-only real data in <c>../shared/data</c> beside the checkout. A user's fresh
/// clone has no such folder, so tests that need it skip with a message naming what is missing.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The data folder, or null when it is absent.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Absolute path of <paramref name="relativePath"/> under ../shared/data; skips the test when absent.</summary>
    public static string Require(string relativePath)
    {
        string? root = Root.Value;
        Skip.If(root is null, $"../shared/data is absent (looked beside the repository root and in $SLEEPSCORING_SHARED_DATA); this test needs '{relativePath}'.");
        string path = Path.Combine(root!, relativePath);
        Skip.IfNot(File.Exists(path) || System.IO.Directory.Exists(path), $"../shared/data/{relativePath} is absent.");
        return path;
    }

    /// <summary>The repository root (the folder holding SleepScoring.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string? FindRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("SLEEPSCORING_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment) && System.IO.Directory.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        string candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
        return System.IO.Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SleepScoring.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"SleepScoring.sln not found above {AppContext.BaseDirectory}.");
    }
}
