using System.Diagnostics;
using System.Globalization;

using SleepScoring.Cli.Verbs;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Cli.Bench;

/// <summary>
/// <c>sleepscore bench score</c>: a whole generated 8-h, 7-channel night end to end — read,
/// condition, render, infer, saliency, statistics — with the time of each step and the process's
/// peak memory. Run it in its own process (this verb never loads TorchSharp) with a model
/// directory, e.g. the random one from <c>bench model --save</c>: speed does not depend on weights.
/// </summary>
internal sealed class BenchScoreVerb : IVerb
{
    public string Name => "bench score";

    public string Arguments => "--model <dir> [--repeats N] [--rate 100|256] [--threads N]";

    public string Summary => "end-to-end scoring of an 8-h 7-channel night: time per step and peak memory";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--repeats", "--rate", "--threads"], []);
        int repeats = options.PositiveOr("--repeats", 3), rate = options.PositiveOr("--rate", 100);
        var inference = new Inference.InferenceOptions { Threads = options.PositiveOr("--threads", Environment.ProcessorCount) };
        string night = Path.Combine(Path.GetTempPath(), $"sleepscore-bench-score-{Environment.ProcessId}.edf");
        try
        {
            long bytes = BenchNight.Write(night, rate);
            using StagingModel model = StagingModel.Load(options.Required("--model"), inference);
            var scorer = new StudyScorer(model);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"night: {BenchNight.Hours} h, 7 signals, EEG/EOG at {rate} Hz, {bytes / 1e6:F1} MB; model {model.Card.Name} {model.Card.Version}; {Environment.ProcessorCount} cores, {inference.Threads} ONNX Runtime thread(s); load average {LoadAverage()}"));
            output.WriteLine("run | total s | read+condition | render | encode | saliency | stage | statistics");
            var totals = new List<double>();
            for (int r = 0; r <= repeats; r++)
            {
                long start = Stopwatch.GetTimestamp();
                ScoredStudy result;
                using (EdfReader reader = EdfReader.Open(night))
                {
                    result = scorer.Score(reader);
                }

                double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
                ScoringTimings t = result.Timings!;
                string label = r == 0 ? "warm-up" : r.ToString(CultureInfo.InvariantCulture);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label} | {total:F2} | {t.Conditioning.TotalSeconds:F2} | {t.Rendering.TotalSeconds:F2} | {t.Encoding.TotalSeconds:F2} | {t.Saliency.TotalSeconds:F2} | {t.Staging.TotalSeconds:F2} | {t.Summarising.TotalSeconds:F2}"));
                if (r > 0)
                {
                    totals.Add(total);
                }
            }

            totals.Sort();
            using var process = Process.GetCurrentProcess();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median {totals[totals.Count / 2]:F2} s per night (target ≤ 2 s); peak working set {process.PeakWorkingSet64 / 1e6:F0} MB (target ≤ 500 MB)"));
            return CommandLine.Success;
        }
        finally
        {
            File.Delete(night);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
