using System.Diagnostics;
using System.Globalization;

using SleepScoring.CommandLine;
using SleepScoring.Synthesis;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>sleepscore-lab bench synthesize</c>: synthesises every row of every feature table in a folder,
/// writes each night as EDF, reads it back and reports the realism figures (median and 95th
/// percentile per channel and feature) with the time taken — the full version of the CI test.
/// </summary>
internal sealed class BenchSynthesizeVerb : IVerb
{
    public string Name => "bench synthesize";

    public string Arguments => "--features-dir <dir> [--seed N] [--nights K]";

    public string Summary => "synthesise every night of a feature-table folder, check realism, report time";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--features-dir", "--seed", "--nights"], []);
        string folder = options.Required("--features-dir");
        ulong seed = options.UnsignedOr("--seed", 1);
        int nights = options.PositiveOr("--nights", int.MaxValue);
        string[] tables = [.. Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).Take(nights)];
        if (tables.Length == 0)
        {
            throw new UsageException($"no *.csv feature table in '{folder}'");
        }

        var tally = new RealismTally();
        string temp = Directory.CreateTempSubdirectory("sleepscore-bench-synthesize-").FullName;
        double synthesisSeconds = 0, checkSeconds = 0;
        long epochs = 0;
        try
        {
            output.WriteLine($"{"night",-10} {"epochs",7} {"synthesis s",12} {"ms/epoch",9}");
            foreach (string table in tables)
            {
                NightFeatures night = FeatureTableReader.Read(table);
                Stopwatch clock = Stopwatch.StartNew();
                SurrogateRecording recording = SurrogateSynthesizer.Synthesize(night, night.EpochSpan, seed);
                string psg = Path.Combine(temp, night.Name + "-PSG.edf");
                SurrogateEdfWriter.WritePsg(recording, new DateTime(1989, 1, 1), psg);
                double seconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                tally.AddRecording(psg, night);
                checkSeconds += clock.Elapsed.TotalSeconds;
                File.Delete(psg);
                synthesisSeconds += seconds;
                epochs += night.EpochSpan;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{night.Name,-10} {night.EpochSpan,7} {seconds,12:F1} {seconds * 1000 / night.EpochSpan,9:F2}"));
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {tables.Length} nights, {epochs} epochs, synthesis + EDF write {synthesisSeconds:F1} s ({synthesisSeconds * 1000 / epochs:F2} ms per 30-s epoch, 7 channels), feature check {checkSeconds:F1} s, {Environment.ProcessorCount} cores"));
        output.WriteLine(tally.Report());
        return VerbDispatcher.Success;
    }
}
