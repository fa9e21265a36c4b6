using System.Diagnostics;
using System.Globalization;

using SleepScoring.CommandLine;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Lab.Verbs;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>sleepscore-lab bench score</c>: a whole generated 8-h, 7-channel night end to end — read,
/// condition, render, infer, saliency, statistics — with the time of each step and the process's
/// peak memory. Run it in its own process (this verb never loads TorchSharp) with a model
/// directory, e.g. the random one from <c>bench model --save</c>: speed does not depend on weights.
/// </summary>
internal sealed class BenchScoreVerb : IVerb
{
    public string Name => "bench score";

    public string Arguments => "--model <dir> [--repeats N] [--rate 100|256] [--montage sleep-edf|aasm] [--sensing off|on|both] [--threads N] [--workers N] [--encoder-batch N] [--edf <file>]";

    public string Summary => "end-to-end scoring of an 8-h night (Sleep-EDF or AASM montage): time per step and peak memory, without and with adaptive sensing side by side";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--repeats", "--rate", "--threads", "--workers", "--encoder-batch", "--edf", "--montage", "--sensing"], []);
        int repeats = options.PositiveOr("--repeats", 3), rate = options.PositiveOr("--rate", 100);
        bool aasm = (options.Optional("--montage") ?? "sleep-edf") switch
        {
            "sleep-edf" => false,
            "aasm" => true,
            string other => throw new UsageException($"--montage '{other}' is not one of sleep-edf, aasm."),
        };
        bool[] sensingRuns = (options.Optional("--sensing") ?? "both") switch
        {
            "off" => [false],
            "on" => [true],
            "both" => [false, true],
            string other => throw new UsageException($"--sensing '{other}' is not one of off, on, both."),
        };
        var inference = new Inference.InferenceOptions
        {
            Threads = options.PositiveOr("--threads", 0),
            Workers = options.PositiveOr("--workers", 0),
            EncoderBatchSize = options.PositiveOr("--encoder-batch", new Inference.InferenceOptions().EncoderBatchSize),
        };
        string? given = options.Optional("--edf");
        string night = given ?? Path.Combine(Path.GetTempPath(), $"sleepscore-bench-score-{Environment.ProcessId}.edf");
        try
        {
            long bytes = given is null ? (aasm ? BenchNight.WriteAasm(night, rate) : BenchNight.Write(night, rate)) : new FileInfo(given).Length;
            using StagingModel model = StagingModel.Load(options.Required("--model"), inference);
            var scorer = new StudyScorer(model);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"night: {(given is null ? (aasm ? $"generated {BenchNight.Hours} h, AASM montage (6 EEG, 2 EOG, chin EMG) at {rate} Hz" : $"generated {BenchNight.Hours} h, 7 signals, EEG/EOG at {rate} Hz") : Path.GetFileName(given))}, {bytes / 1e6:F1} MB; model {model.Card.Name} {model.Card.Version}; {Environment.ProcessorCount} cores, {inference.EffectiveWorkers} worker(s) × {inference.EffectiveThreads} ONNX Runtime thread(s); load average {LoadAverage()}"));
            output.WriteLine("run | sensing | total s | CPU s | read+condition | sensing | render | encode | saliency | stage | statistics");
            var totals = sensingRuns.ToDictionary(s => s, _ => new List<double>());
            var cpus = sensingRuns.ToDictionary(s => s, _ => new List<double>());
            long peak = 0, baseline = 0;
            foreach ((int r, bool sensing) in Enumerable.Range(0, repeats + 1).SelectMany(r => sensingRuns.Select(s => (r, s))))
            {
                // Only the scoring counts: the generated night and earlier runs' garbage are collected first.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                baseline = ProcessMemory.Resident;
                var peaks = new StepPeaks();
                TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                ScoredStudy result;
                using (EdfReader reader = EdfReader.Open(night))
                {
                    result = scorer.Score(reader, new ScoringRequest { AdaptiveSensing = sensing }, peaks);
                }

                peaks.Finish();

                double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
                ScoringTimings t = result.Timings!;
                string label = r == 0 ? "warm-up" : r.ToString(CultureInfo.InvariantCulture);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label} | {(sensing ? "on" : "off")} | {total:F2} | {cpu:F2} | {t.Conditioning.TotalSeconds:F2} | {t.Sensing.TotalSeconds:F2} | {t.Rendering.TotalSeconds:F2} | {t.Encoding.TotalSeconds:F2} | {t.Saliency.TotalSeconds:F2} | {t.Staging.TotalSeconds:F2} | {t.Summarising.TotalSeconds:F2}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    resident at start {baseline / 1e6:F0} MB; peak per step: ") + string.Join(", ", peaks.Steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.Peak / 1e6:F0} MB"))));
                peak = Math.Max(peak, peaks.Peak);
                if (r > 0)
                {
                    totals[sensing].Add(total);
                    cpus[sensing].Add(cpu);
                }

                if (sensing && result.Sensing is { } chosen)
                {
                    output.WriteLine($"    sensing: {chosen.Result.Evaluated.Count} candidates, chose {chosen.Result.Chosen.Describe()}; objectives " + string.Join(", ", chosen.Result.Evaluated.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Step} {e.Candidate.Describe()} {e.Score.Value:F4}"))));
                    foreach (Inference.Sensing.SensingSkip skip in chosen.Result.Skipped)
                    {
                        output.WriteLine($"    skipped {skip.Step} ({string.Join(", ", skip.Candidates)}): {skip.Reason}");
                    }
                    if (chosen.Result.Timings is { } search)
                    {
                        output.WriteLine($"    search: {search.Describe()}");
                    }
                }
            }

            foreach ((bool sensing, List<double> runs) in totals)
            {
                // A sorted copy: the lists stay in run order for the per-run ratios below (sorting them in
                // place paired the fastest run with sensing with the fastest without).
                double[] sorted = [.. runs.Order()];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {sorted[sorted.Length / 2]:F2} s per night, adaptive sensing {(sensing ? "on" : "off")}"));
            }

            if (totals.Count == 2)
            {
                double ratio = totals[true].Zip(totals[false], (on, off) => on / off).Order().ElementAt(totals[true].Count / 2);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"adaptive sensing / plain scoring time: {ratio:F2} (median of per-run ratios; target ≤ 2)"));

                // Process CPU time moves less than wall-clock time when other processes share the cores.
                double cpuRatio = cpus[true].Zip(cpus[false], (on, off) => on / off).Order().ElementAt(cpus[true].Count / 2);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"adaptive sensing / plain scoring CPU time: {cpuRatio:F2} (median of per-run ratios)"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peak resident memory while scoring {peak / 1e6:F0} MB (target ≤ 500 MB); resident before scoring {baseline / 1e6:F0} MB"));
            return VerbDispatcher.Success;
        }
        finally
        {
            if (given is null)
            {
                File.Delete(night);
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
