using System.Text;
using System.Text.RegularExpressions;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>
/// Every SQL statement of the service lives in <c>src/SleepScoring.Api/Storage/</c>, behind the
/// stores: a guard that names the file when a statement appears anywhere else.
/// </summary>
public sealed partial class SqlPlacementTests
{
    private static readonly string ApiSource = Path.Combine(RepositoryRoot(), "src", "SleepScoring.Api");

    [Fact]
    public void NoSqlStatement_IsWrittenOutsideStorage()
    {
        string storage = Path.Combine(ApiSource, "Storage") + Path.DirectorySeparatorChar;
        string[] offending = [.. Directory.EnumerateFiles(ApiSource, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(storage, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => SqlStatementsIn(File.ReadAllText(f)).Select(sql => $"{Path.GetRelativePath(ApiSource, f)}: {sql}"))];

        Assert.True(offending.Length == 0, "SQL outside Storage/ (move it into a store):\n" + string.Join("\n", offending));
    }

    [Fact]
    public void TheGuard_SeesTheStatementsOfStorage()
    {
        string[] found = [.. SqlStatementsIn(File.ReadAllText(Path.Combine(ApiSource, "Storage", "StudyStore.cs")))];

        Assert.Contains(found, s => s.StartsWith("INSERT INTO studies", StringComparison.Ordinal));
        Assert.Contains(found, s => s.StartsWith("DELETE FROM studies", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("var q = \"SELECT id FROM studies\";", "SELECT id FROM studies")]
    [InlineData("c.ExecuteAsync($\"UPDATE jobs SET status = {x}\");", "UPDATE jobs SET status = {x}")]
    [InlineData("string s = @\"DELETE FROM epochs WHERE \"\"a\"\"\";", "DELETE FROM epochs WHERE \"\"a\"\"")]
    [InlineData("string s = \"\"\"\n    INSERT INTO keys (id) VALUES (1)\n    \"\"\";", "INSERT INTO keys (id) VALUES (1)")]
    [InlineData("string s = $$\"\"\"\n  SELECT {{a}} FROM b\n  \"\"\";", "SELECT {{a}} FROM b")]
    public void TheScanner_FindsStatementsInEveryKindOfLiteral(string code, string statement) =>
        Assert.Equal([statement], SqlStatementsIn(code));

    [Theory]
    [InlineData("// SELECT id FROM studies in a comment")]
    [InlineData("/* DELETE FROM studies */ int x = 1;")]
    [InlineData("string s = \"select a file from the list\";")] // prose, not SQL
    [InlineData("string s = \"Update the key\"; char c = '\"';")]
    public void TheScanner_IgnoresCommentsAndProse(string code) =>
        Assert.Empty(SqlStatementsIn(code));

    /// <summary>The string literals of C# <paramref name="code"/> (comments skipped) that hold a SQL statement, trimmed.</summary>
    private static IEnumerable<string> SqlStatementsIn(string code) =>
        Literals(code).Select(l => l.Trim()).Where(l => SqlStatement().IsMatch(l));

    /// <summary>The contents of regular, verbatim, interpolated and raw string literals.</summary>
    private static List<string> Literals(string code)
    {
        var literals = new List<string>();
        int i = 0;
        while (i < code.Length)
        {
            if (code.AsSpan(i).StartsWith("//"))
            {
                i = code.IndexOf('\n', i) is int end and >= 0 ? end : code.Length;
            }
            else if (code.AsSpan(i).StartsWith("/*"))
            {
                i = code.IndexOf("*/", i + 2, StringComparison.Ordinal) is int end and >= 0 ? end + 2 : code.Length;
            }
            else if (code[i] == '\'')
            {
                i = code[i + 1] == '\\' ? code.IndexOf('\'', i + 3) + 1 : i + 3; // a char literal, e.g. '"' or '\''
            }
            else if (code[i] == '"')
            {
                bool verbatim = i > 0 && (code[i - 1] == '@' || (i > 1 && code[i - 2] == '@'));
                int quotes = 0;
                while (i + quotes < code.Length && code[i + quotes] == '"')
                {
                    quotes++;
                }

                if (quotes >= 3)
                {
                    string fence = new('"', quotes);
                    int end = code.IndexOf(fence, i + quotes, StringComparison.Ordinal);
                    literals.Add(code[(i + quotes)..end]);
                    i = end + quotes;
                }
                else if (quotes == 2 && !verbatim)
                {
                    i += 2; // ""
                }
                else
                {
                    var text = new StringBuilder();
                    int j = i + 1;
                    while (j < code.Length)
                    {
                        if (verbatim && code[j] == '"' && j + 1 < code.Length && code[j + 1] == '"')
                        {
                            text.Append("\"\"");
                            j += 2;
                        }
                        else if (!verbatim && code[j] == '\\')
                        {
                            text.Append(code, j, 2);
                            j += 2;
                        }
                        else if (code[j] == '"')
                        {
                            break;
                        }
                        else
                        {
                            text.Append(code[j++]);
                        }
                    }

                    literals.Add(text.ToString());
                    i = j + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return literals;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "SleepScoring.sln")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException("no SleepScoring.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>A statement as the stores write them: keywords in capitals, with their table.</summary>
    [GeneratedRegex(@"\bSELECT\b[\s\S]+\bFROM\b|\bINSERT\s+INTO\s+\w+|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\s+\w+")]
    private static partial Regex SqlStatement();
}
