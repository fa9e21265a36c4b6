using System.Text.RegularExpressions;

using SleepScoring.Tests.Common;

namespace SleepScoring.Api.Tests.Wwwroot;

/// <summary>
/// The workstation's files as a strict Content-Security-Policy (scripts and styles from 'self' only)
/// and a hospital network without internet need them: no inline script, style or handler, nothing
/// fetched from another host, and every module preloaded by the page.
/// </summary>
public sealed partial class WorkstationPageTests
{
    private static readonly string Root = Path.Combine(SharedData.RepositoryRoot, "src", "SleepScoring.Api", "wwwroot");

    [Fact]
    public void IndexHtml_HasNoInlineScriptStyleOrHandler()
    {
        string html = File.ReadAllText(Path.Combine(Root, "index.html"));

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(InlineAttribute(), html);
    }

    [Fact]
    public void EveryFile_ReferencesNoOtherHost()
    {
        foreach (string file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal) || f.EndsWith(".html", StringComparison.Ordinal)))
        {
            string text = File.ReadAllText(file);
            Assert.False(ExternalUrl().IsMatch(text), $"{file} refers to another host: {ExternalUrl().Match(text).Value}");
        }
    }

    [Fact]
    public void IndexHtml_PreloadsEveryModule()
    {
        string html = File.ReadAllText(Path.Combine(Root, "index.html"));
        string[] modules = [.. Directory.EnumerateFiles(Path.Combine(Root, "js"), "*.js", SearchOption.AllDirectories).Select(f => "/" + Path.GetRelativePath(Root, f).Replace('\\', '/')).Order()];

        string[] preloaded = [.. Preload().Matches(html).Select(m => m.Groups[1].Value).Order()];

        Assert.Equal(modules, preloaded);
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\s(style|on[a-z]+)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineAttribute();

    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex(@"<link rel=""modulepreload"" href=""([^""]+)"">")]
    private static partial Regex Preload();
}
