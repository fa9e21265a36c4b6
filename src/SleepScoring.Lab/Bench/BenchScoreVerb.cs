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

    public string Arguments => "--model <dir> [--repeats N] [--rate 100|256] [--threads N] [--workers N] [--encoder-batch N] [--edf <file>]";

    public string Summary => "end-to-end scoring of an 8-h 7-channel night: time per step and peak memory";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--repeats", "--rate", "--threads", "--workers", "--encoder-batch", "--edf"], []);
        int repeats = options.PositiveOr("--repeats", 3), rate = options.PositiveOr("--rate", 100);
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
            long bytes = given is null ? BenchNight.Write(night, rate) : new FileInfo(given).Length;
            using StagingModel model = StagingModel.Load(options.Required("--model"), inference);
            var scorer = new StudyScorer(model);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"night: {(given is null ? $"generated {BenchNight.Hours} h, 7 signals, EEG/EOG at {rate} Hz" : Path.GetFileName(given))}, {bytes / 1e6:F1} MB; model {model.Card.Name} {model.Card.Version}; {Environment.ProcessorCount} cores, {inference.EffectiveWorkers} worker(s) × {inference.EffectiveThreads} ONNX Runtime thread(s); load average {LoadAverage()}"));
            output.WriteLine("run | total s | CPU s | read+condition | render | encode | saliency | stage | statistics");
            var totals = new List<double>();
            long peak = 0, baseline = 0;
            for (int r = 0; r <= repeats; r++)
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
                    result = scorer.Score(reader, progress: peaks);
                }

                peaks.Finish();

                double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
                ScoringTimings t = result.Timings!;
                string label = r == 0 ? "warm-up" : r.ToString(CultureInfo.InvariantCulture);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label} | {total:F2} | {cpu:F2} | {t.Conditioning.TotalSeconds:F2} | {t.Rendering.TotalSeconds:F2} | {t.Encoding.TotalSeconds:F2} | {t.Saliency.TotalSeconds:F2} | {t.Staging.TotalSeconds:F2} | {t.Summarising.TotalSeconds:F2}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    resident at start {baseline / 1e6:F0} MB; peak per step: ") + string.Join(", ", peaks.Steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.Peak / 1e6:F0} MB"))));
                peak = Math.Max(peak, peaks.Peak);
                if (r > 0)
                {
                    totals.Add(total);
                }
            }

            totals.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median {totals[totals.Count / 2]:F2} s per night (target ≤ 2 s); peak resident memory while scoring {peak / 1e6:F0} MB (target ≤ 500 MB); resident before scoring {baseline / 1e6:F0} MB"));
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
