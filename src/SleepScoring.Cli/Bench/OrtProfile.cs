using System.Globalization;
using System.Text.Json;

namespace SleepScoring.Cli.Bench;

/// <summary>Sums ONNX Runtime's per-node profile (the JSON it writes with profiling on) by operator type.</summary>
internal static class OrtProfile
{
    public static IReadOnlyList<(string Operator, double Milliseconds, int Nodes)> ByOperator(string profileFile)
    {
        using FileStream stream = File.OpenRead(profileFile);
        using JsonDocument document = JsonDocument.Parse(stream);
        var totals = new Dictionary<string, (double Microseconds, HashSet<string> Nodes)>(StringComparer.Ordinal);
        foreach (JsonElement e in document.RootElement.EnumerateArray())
        {
            if (e.GetProperty("cat").GetString() != "Node" || !e.TryGetProperty("args", out JsonElement args)
                || !args.TryGetProperty("op_name", out JsonElement op) || !e.GetProperty("name").GetString()!.EndsWith("_kernel_time", StringComparison.Ordinal))
            {
                continue;
            }

            string name = op.GetString()!;
            (double us, HashSet<string> nodes) = totals.TryGetValue(name, out var t) ? t : (0, new HashSet<string>(StringComparer.Ordinal));
            nodes.Add(e.GetProperty("name").GetString()!);
            totals[name] = (us + e.GetProperty("dur").GetDouble(), nodes);
        }

        return totals.Select(p => (p.Key, p.Value.Microseconds / 1000, p.Value.Nodes.Count)).OrderByDescending(p => p.Item2).ToArray();
    }

    public static void Print(TextWriter output, string title, string profileFile)
    {
        var rows = ByOperator(profileFile);
        double total = rows.Sum(r => r.Milliseconds);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {total:F1} ms in kernels"));
        foreach ((string op, double ms, int nodes) in rows.Take(12))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {op,-20} {ms,8:F1} ms {100 * ms / total,5:F1} %  ({nodes} nodes)"));
        }
    }
}
