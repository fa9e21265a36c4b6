using System.Diagnostics;
using System.Globalization;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;
using SleepScoring.CommandLine;
using SleepScoring.Edf;
using SleepScoring.Synthesis;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>sleepscore-lab bench condition</c>: conditions a generated 8-h, 7-channel night (resample,
/// filter, epoch, quality checks) and times it against decoding the same file (opening it and
/// reading every signal as physical values), both in this run, for a Sleep-EDF-like 100-Hz night
/// and a clinical-like variant with EEG, EOG and EMG at 256 Hz.
/// </summary>
internal sealed class BenchConditionVerb : IVerb
{
    public string Name => "bench condition";

    public string Arguments => "[--hours H] [--repetitions N]";

    public string Summary => "benchmark study conditioning (resample + filter + epoch) against the EDF decode of the same night";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--hours", "--repetitions"], []);
        int hours = options.PositiveOr("--hours", 8);
        int repetitions = options.PositiveOr("--repetitions", 3);
        string temp = Directory.CreateTempSubdirectory("sleepscore-bench-condition-").FullName;
        try
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{hours}-h night, 7 channels, median of {repetitions} runs, {Environment.ProcessorCount} cores"));
            output.WriteLine($"{"variant",-26} {"file MB",8} {"decode s",9} {"condition s",12} {"ratio",6}");
            foreach (double rate in new[] { 100.0, 256.0 })
            {
                string path = Path.Combine(temp, $"night-{rate}.edf");
                WriteNight(path, hours, rate);
                double decode = Median(repetitions, () => Decode(path));
                double condition = Median(repetitions, () => Condition(path));
                string variant = rate == 100 ? "Sleep-EDF-like (100 Hz)" : "EEG/EOG/EMG at 256 Hz";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{variant,-26} {new FileInfo(path).Length / 1e6,8:F1} {decode,9:F3} {condition,12:F3} {condition / decode,6:F1}"));
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        output.WriteLine("decode = open + read every signal as physical values; condition = open + montage + read + resample to 100 Hz + 0.3–35 Hz zero-phase filter + epochs + quality checks");
        CompareFilterPaths(output, hours, repetitions);
        return VerbDispatcher.Success;
    }

    /// <summary>The zero-phase band-pass of three 100-Hz channels: one at a time vs four per vector, same run.</summary>
    private static void CompareFilterPaths(TextWriter output, int hours, int repetitions)
    {
        Xoshiro256 rng = new(7);
        float[][] source = [.. Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, hours * 360_000).Select(_ => (float)rng.NextGaussian()).ToArray())];
        ZeroPhaseFilter filter = ZeroPhaseFilter.BandPass(SignalConditioner.ModelRate);
        double scalar = Median(repetitions, () =>
        {
            foreach (float[] channel in source)
            {
                filter.Apply((float[])channel.Clone());
            }
        });
        double lanes = Median(repetitions, () => filter.ApplyAll([.. source.Select(c => (float[])c.Clone())], 0, source[0].Length));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"band-pass of 3 × {hours} h at 100 Hz, one thread: one channel at a time {scalar:F3} s, four lanes per Vector256 {lanes:F3} s ({scalar / lanes:F1}×)"));
    }

    private static void Decode(string path)
    {
        using EdfReader reader = EdfReader.Open(path);
        _ = reader.ReadAllPhysical();
    }

    private static void Condition(string path)
    {
        using EdfReader reader = EdfReader.Open(path);
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        if (study.Epochs.Count == 0)
        {
            throw new InvalidOperationException("The benchmark night produced no epochs.");
        }
    }

    private static double Median(int repetitions, Action action)
    {
        action(); // warm-up: JIT and file cache
        double[] seconds = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            Stopwatch clock = Stopwatch.StartNew();
            action();
            seconds[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(seconds);
        return seconds[repetitions / 2];
    }

    /// <summary>Sleep-EDF's seven channels; EEG/EOG (and EMG in the 256-Hz variant) as 1/f-like noise with alpha.</summary>
    private static void WriteNight(string path, int hours, double rate)
    {
        int seconds = hours * 3600;
        var writer = new EdfWriter { RecordDuration = 30, StartTime = new DateTime(2024, 1, 1, 22, 0, 0) };
        Xoshiro256 rng = new(42);
        void Add(string label, double hz, double range, string unit, Func<double, double, double> sample)
        {
            float[] x = new float[(int)(seconds * hz)];
            double state = 0;
            for (int i = 0; i < x.Length; i++)
            {
                state = (0.98 * state) + rng.NextGaussian();
                x[i] = (float)sample(i / hz, state);
            }

            writer.AddSignal(new EdfSignalSpec(label, -range, range, (int)(hz * 30)) { PhysicalDimension = unit }, x);
        }

        Func<double, double, double> eeg = (t, s) => (4 * s) + (15 * Math.Sin(2 * Math.PI * 10 * t));
        Add("EEG Fpz-Cz", rate, 500, "uV", eeg);
        Add("EEG Pz-Oz", rate, 500, "uV", eeg);
        Add("EOG horizontal", rate, 1000, "uV", eeg);
        Add("Resp oro-nasal", 1, 2048, string.Empty, (t, s) => 300 * Math.Sin(2 * Math.PI * 0.25 * t));
        Add("EMG submental", rate == 100 ? 1 : rate, 100, "uV", (_, s) => rate == 100 ? 1.5 : 3 * s);
        Add("Temp rectal", 1, 40, "DegC", (_, s) => 36.9 + (0.01 * s));
        Add("Event marker", 1, 2048, string.Empty, (_, _) => 0);
        writer.Write(path);
    }
}
