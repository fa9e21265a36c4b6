using System.Diagnostics;
using System.Globalization;

using SleepScoring.CommandLine;
using SleepScoring.Edf;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>sleepscore-lab bench edf</c>: writes an 8-hour 7-channel night (100 Hz and 256 Hz variants) with
/// <see cref="EdfWriter"/>, then times decoding every signal to float32 physical values against
/// <see cref="File.ReadAllBytes(string)"/> of the same file, alternating, in the same run.
/// </summary>
internal sealed class BenchEdfVerb : IVerb
{
    public string Name => "bench edf";

    public string Arguments => "[--repetitions N] [--keep]";

    public string Summary => "benchmark EDF decoding (MB/s) against File.ReadAllBytes of the same files";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        (int repetitions, bool keep) = ParseOptions(args);
        string folder = Path.Combine(Path.GetTempPath(), $"sleepscore-bench-edf-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            output.WriteLine($"EDF decode benchmark: {repetitions} repetitions (median), 8-hour 7-channel nights in {folder}");
            output.WriteLine("                                          wall clock        process CPU");
            output.WriteLine("night   size/MB  operation                  MB/s  vs raw     MB/s  vs raw");
            foreach (int rate in new[] { 100, 256 })
            {
                string path = Path.Combine(folder, $"night-{rate}hz.edf");
                long bytes = BenchNight.Write(path, rate);
                Measure(path, bytes, rate, repetitions, output);
            }
        }
        finally
        {
            if (!keep)
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        return VerbDispatcher.Success;
    }

    /// <summary>
    /// Times raw read, one-pass decode and per-signal decode back to back in each round, so the load of a
    /// shared machine hits all three alike; ratios are medians of the per-round ratios. Each timing covers
    /// a batch of reads worth ~300 MB, long enough that scheduler time slices do not favour the shortest.
    /// Wall-clock and process CPU time (all threads, GC included) are both reported: on a loaded machine
    /// the CPU-time ratio shows the work done, the wall-clock one what a user waits.
    /// </summary>
    private static void Measure(string path, long bytes, int rate, int repetitions, TextWriter output)
    {
        List<(Cost Raw, Cost OnePass, Cost Reused, Cost PerSignal)> rounds = [];
        long checksum = 0;
        float[][] reused;
        using (EdfReader probe = EdfReader.Open(path))
        {
            reused = [.. probe.Signals.Select(s => new float[s.IsAnnotation ? 0 : s.SampleCount])];
        }

        int batch = (int)Math.Max(1, Math.Ceiling(300e6 / bytes));

        // The first round warms the JIT and the page cache and is not counted.
        for (int r = 0; r <= repetitions; r++)
        {
            Cost raw = Time(batch, () => checksum += File.ReadAllBytes(path).Length);
            Cost onePass = Time(batch, () =>
            {
                using EdfReader reader = EdfReader.Open(path);
                checksum += reader.ReadAllPhysical().Sum(s => s.Length);
            });
            Cost reusing = Time(batch, () =>
            {
                using EdfReader reader = EdfReader.Open(path);
                reader.ReadAllPhysical(reused);
                checksum += reused.Length;
            });
            Cost perSignal = Time(batch, () =>
            {
                using EdfReader reader = EdfReader.Open(path);
                checksum += reader.Signals.Where(s => !s.IsAnnotation).Sum(s => reader.ReadPhysical(s.Index).Length);
            });
            if (r > 0)
            {
                rounds.Add((raw, onePass, reusing, perSignal));
            }
        }

        double mb = bytes / 1e6;
        Row($"{rate} Hz", mb.ToString("0.0", CultureInfo.InvariantCulture), "raw File.ReadAllBytes", [.. rounds.Select(x => (x.Raw, x.Raw))]);
        Row(string.Empty, string.Empty, "decode all, one pass", [.. rounds.Select(x => (x.OnePass, x.Raw))]);
        Row(string.Empty, string.Empty, "decode all, reused", [.. rounds.Select(x => (x.Reused, x.Raw))]);
        Row(string.Empty, string.Empty, "decode each signal", [.. rounds.Select(x => (x.PerSignal, x.Raw))]);
        GC.KeepAlive(checksum);

        void Row(string night, string size, string what, (Cost Cost, Cost Raw)[] pairs)
        {
            double wallRate = mb / Median(pairs.Select(p => p.Cost.Wall));
            double wallRatio = Median(pairs.Select(p => p.Raw.Wall / p.Cost.Wall));
            double cpuRate = mb / Median(pairs.Select(p => p.Cost.Cpu));
            double cpuRatio = Median(pairs.Select(p => p.Raw.Cpu / p.Cost.Cpu));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{night,-7} {size,7}  {what,-22} {wallRate,8:0} {wallRatio,7:0.00} {cpuRate,8:0} {cpuRatio,7:0.00}"));
        }
    }

    /// <summary>Seconds per call of <paramref name="action"/> (wall clock and process CPU), averaged over a batch.</summary>
    private static Cost Time(int batch, Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using Process process = Process.GetCurrentProcess();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        Stopwatch watch = Stopwatch.StartNew();
        for (int i = 0; i < batch; i++)
        {
            action();
        }

        double wall = watch.Elapsed.TotalSeconds / batch;
        process.Refresh();
        return new Cost(wall, (process.TotalProcessorTime - cpuBefore).TotalSeconds / batch);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static (int Repetitions, bool Keep) ParseOptions(IReadOnlyList<string> args)
    {
        OptionList options = OptionList.Parse(args, ["--repetitions"], ["--keep"]);
        return (options.PositiveOr("--repetitions", 9), options.Has("--keep"));
    }

    private readonly record struct Cost(double Wall, double Cpu);
}
