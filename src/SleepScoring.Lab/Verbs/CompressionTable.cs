using System.Globalization;
using System.Text;
using System.Text.Json;

using SleepScoring.Analysis;
using SleepScoring.Lab.Bench;
using SleepScoring.Model;
using SleepScoring.Training.Metrics;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// The compression table: every fold's <see cref="CompressVerb.ResultFile"/> under one folder,
/// pooled per variant (confusion matrices summed over the folds' held-out epochs), with the
/// latency of each variant's graphs (the first fold's: speed depends on the geometry, not on the
/// weights) timed in this one run, integer and float interleaved at one thread. The ratio is of
/// the calling thread's CPU time: at one thread ONNX Runtime computes on that thread, so it is the
/// graphs' own cost even while other processes hold the cores (the wall clock is shown beside it).
/// </summary>
internal static class CompressionTable
{
    public static void Write(string directory, int repeats, TextWriter output)
    {
        CompressionResult[] folds = [.. Directory.GetDirectories(directory).Order(StringComparer.Ordinal)
            .Select(d => Path.Combine(d, CompressVerb.ResultFile)).Where(File.Exists)
            .Select(f => JsonSerializer.Deserialize<CompressionResult>(File.ReadAllText(f), ModelCard.Json)!)];
        if (folds.Length == 0)
        {
            throw new IOException($"'{directory}' holds no fold folder with {CompressVerb.ResultFile} (run `sleepscore-lab compress --model <fold> --out {directory}` first).");
        }

        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{folds.Length} fold(s): {string.Join(", ", folds.Select(f => $"{Path.GetFileName(f.Model)} (held out {string.Join(',', f.TestSubjects)})"))}; latency: night of 960 epochs, 1 thread, median of {repeats}, load average {BenchModelVerb.LoadAverage()} at start"));
        text.AppendLine();
        text.AppendLine("| variant | float acc. | float κ | integer acc. | integer κ | integer = float | parameters | integer graphs (KB) | packed (KB) | MACs / epoch | integer night (ms, CPU) | float night (ms, CPU) | float / integer (CPU) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (string slug in folds[0].Rows.Select(r => r.Slug))
        {
            CompressionRow[] rows = [.. folds.SelectMany(f => f.Rows.Where(r => r.Slug == slug))];
            StagingMetrics single = StagingMetrics.From(Pool(rows.Select(r => r.FloatConfusion)));
            StagingMetrics integer = StagingMetrics.From(Pool(rows.Select(r => r.IntegerConfusion)));
            CompressionRow first = rows[0];
            (double intMs, double intCpu, double floatMs, double floatCpu) = BenchModelVerb.TimeNight(first.Folder, repeats);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {first.Name}{(rows.Length < folds.Length ? $" ({rows.Length} fold(s))" : string.Empty)} | {single.Accuracy:P1} | {single.Kappa:F3} | {integer.Accuracy:P1} | {integer.Kappa:F3} | {rows.Sum(r => r.AgreeingEpochs) / (double)rows.Sum(r => r.Epochs):P1} | {first.Parameters:N0} | {rows.Average(r => r.IntegerBytes) / 1024:F0} | {rows.Average(r => r.PackedIntegerBytes) / 1024:F0} | {first.MacsPerEpoch / 1e6:F2} M | {intMs:F0} ({intCpu:F0}) | {floatMs:F0} ({floatCpu:F0}) | {floatCpu / intCpu:F2}× |"));
        }

        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"held-out epochs pooled over the folds: {folds.Sum(f => f.Rows[0].Epochs)}; load average {BenchModelVerb.LoadAverage()} at the end"));
        string path = Path.Combine(directory, "compression-table.md");
        File.WriteAllText(path, text.ToString());
        output.Write(text.ToString());
        output.WriteLine(path);
    }

    private static ConfusionMatrix Pool(IEnumerable<long[][]> matrices)
    {
        var pooled = new ConfusionMatrix();
        foreach (long[][] rows in matrices)
        {
            for (int truth = 0; truth < rows.Length; truth++)
            {
                for (int predicted = 0; predicted < rows[truth].Length; predicted++)
                {
                    for (long n = 0; n < rows[truth][predicted]; n++)
                    {
                        pooled.Add((SleepStage)truth, (SleepStage)predicted);
                    }
                }
            }
        }

        return pooled;
    }
}
