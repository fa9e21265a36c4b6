using System.Globalization;
using System.Text.Json;

namespace SleepScoring.Lab.Bench;

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

    /// <summary>The <paramref name="count"/> slowest nodes by name (operator type beside), in milliseconds.</summary>
    public static IReadOnlyList<(string Node, string Operator, double Milliseconds)> SlowestNodes(string profileFile, int count)
    {
        using FileStream stream = File.OpenRead(profileFile);
        using JsonDocument document = JsonDocument.Parse(stream);
        var totals = new Dictionary<string, (string Operator, double Microseconds)>(StringComparer.Ordinal);
        foreach (JsonElement e in document.RootElement.EnumerateArray())
        {
            string name = e.GetProperty("name").GetString()!;
            if (e.GetProperty("cat").GetString() != "Node" || !e.TryGetProperty("args", out JsonElement args)
                || !args.TryGetProperty("op_name", out JsonElement op) || !name.EndsWith("_kernel_time", StringComparison.Ordinal))
            {
                continue;
            }

            string node = name[..^"_kernel_time".Length];
            double before = totals.TryGetValue(node, out var t) ? t.Microseconds : 0;
            totals[node] = (op.GetString()!, before + e.GetProperty("dur").GetDouble());
        }

        return totals.OrderByDescending(p => p.Value.Microseconds).Take(count).Select(p => (p.Key, p.Value.Operator, p.Value.Microseconds / 1000)).ToArray();
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

        output.WriteLine("  slowest nodes:");
        foreach ((string node, string op, double ms) in SlowestNodes(profileFile, 15))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {node,-40} {op,-14} {ms,7:F2} ms"));
        }
    }
}
