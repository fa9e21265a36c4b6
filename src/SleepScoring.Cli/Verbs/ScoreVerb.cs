using System.Globalization;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Staging;
using SleepScoring.CommandLine;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Model;
using SleepScoring.Rendering.Clinician;
using SleepScoring.Rendering.Hypnogram;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Cli.Verbs;

/// <summary>
/// <c>sleepscore score</c>: one PSG in, the explained hypnogram out — JSON (schemas/scored-study.schema.json),
/// optionally CSV and EDF+ hypnograms, the hypnogram/hypnodensity PNG and one clinician PNG with saliency overlay per epoch.
/// </summary>
internal sealed class ScoreVerb : IVerb
{
    public string Name => "score";

    public string Arguments => "<psg.edf> [--model <dir> (default: $SLEEPSCORING_MODEL, else models/ found from here or beside sleepscore)] [--out result.json] [--csv hypnogram.csv] [--annotations hypnogram.edf] [--images <dir>] [--map FROM=TO]… [--sensing on|off] [--lights-off <s>] [--lights-on <s>] [--include-patient]";

    public string Summary => "stage a study with the integer model: explained hypnogram as JSON (stdout or --out), CSV, EDF+, overlay PNGs";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ScoreArguments a = ScoreArguments.Parse(args);
        using EdfReader reader = EdfReader.Open(a.Study); // a bad file is reported before the model is loaded
        using StagingModel model = StagingModel.Load(a.ModelDirectory);
        var scorer = new StudyScorer(model);
        var request = new ScoringRequest
        {
            ChannelMappings = a.Mappings,
            Lights = a.Lights,
            IncludePatientIdentification = a.IncludePatient,
            AdaptiveSensing = a.Sensing,
        };
        using var bar = new ProgressLine(Console.Error);
        ConditionedStudy study = scorer.Condition(reader, request);
        ScoredStudy result = scorer.Score(reader, study, request, bar);

        if (a.Out is null)
        {
            using Stream stdout = Console.OpenStandardOutput();
            ScoredStudyJson.Write(result, stdout, indented: true);
        }
        else
        {
            using FileStream file = File.Create(CreatingFolder(a.Out));
            ScoredStudyJson.Write(result, file, indented: true);
        }

        if (a.Csv is not null)
        {
            using var writer = new StreamWriter(CreatingFolder(a.Csv));
            HypnogramCsv.Write(result.Hypnogram, writer);
        }

        if (a.Annotations is not null)
        {
            HypnogramEdf.Write(result.Hypnogram, CreatingFolder(a.Annotations), StageLabelStyle.SleepEdf, study.Lights?.Off, study.Lights?.On);
        }

        if (a.Images is not null)
        {
            WriteImages(scorer, study, result, a.Images, reader.Header.StartTime);
        }

        if (a.Out is not null)
        {
            output.WriteLine(Describe(result));
        }

        return VerbDispatcher.Success;
    }

    /// <summary>The output path, its folder created if missing (an output next to nothing yet is not an error).</summary>
    private static string CreatingFolder(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        return path;
    }

    private static void WriteImages(StudyScorer scorer, ConditionedStudy study, ScoredStudy result, string directory, DateTime start)
    {
        Directory.CreateDirectory(directory);
        // The whole night first: hypnogram with the hypnodensity (stage probabilities) under it.
        var plot = new HypnogramPlotInput(result.Epochs.Select(e => e.Stage).ToArray(), TimeSpan.FromSeconds(ConditionedEpoch.Length), start)
        {
            Probabilities = result.Epochs.Select(e => e.Probabilities ?? new float[5]).ToArray(),
            Title = $"Hypnogram and hypnodensity · model {result.ModelName} {result.ModelVersion}",
        };
        File.WriteAllBytes(Path.Combine(directory, "hypnogram.png"), new HypnogramPlotRenderer().RenderPng(plot));

        float[][] signals = [.. scorer.ModelSignals(study, result).Select(s => s.ToArray())]; // a local file: the night in memory is fine
        var samples = new float[signals.Length * ConditionedEpoch.Samples];
        using var renderer = new ClinicianImageRenderer([.. result.SlotNames]);
        foreach (ScoredEpoch epoch in result.Epochs)
        {
            EpochSamples.Gather(signals, epoch.Index, samples);
            var caption = new EpochCaption(epoch.Index, start.AddSeconds(epoch.OnsetSeconds), epoch.Stage);
            using FileStream png = File.Create(Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"epoch-{epoch.Index:D5}.png")));
            renderer.RenderPng(samples, caption, epoch.Saliency?.Grid, png);
        }
    }

    private static string Describe(ScoredStudy result) => string.Create(CultureInfo.InvariantCulture,
        $"{result.Epochs.Count} epochs ({result.Recording.ScorableEpochs} scored), TST {result.Statistics.TotalSleepTimeMinutes:F1} min, SE {result.Statistics.SleepEfficiencyPercent:F1} %, {result.ReviewQueue.Count} for review, model {result.ModelName} {result.ModelVersion}");

    /// <summary>The verb's arguments: one positional study path, repeatable --map; the model found by <see cref="ModelLocator"/> unless --model names it.</summary>
    private sealed record ScoreArguments(string Study, string ModelDirectory, string? Out, string? Csv, string? Annotations, string? Images, IReadOnlyList<string> Mappings, LightsPeriod? Lights, bool IncludePatient, bool Sensing)
    {
        public static ScoreArguments Parse(IReadOnlyList<string> args)
        {
            OptionList options = OptionList.Parse(args, ["--model", "--out", "--csv", "--annotations", "--images", "--lights-off", "--lights-on", "--sensing"], ["--include-patient"], repeatable: ["--map"], maxPositionals: 1);
            return new ScoreArguments(
                options.Positional(0, "the study (an EDF/EDF+/BDF file)"),
                ModelLocator.ForTool(options.Optional("--model")),
                options.Optional("--out"),
                options.Optional("--csv"),
                options.Optional("--annotations"),
                options.Optional("--images"),
                options.All("--map"),
                ParseLights(options),
                options.Has("--include-patient"),
                (options.Optional("--sensing") ?? "on") switch
                {
                    "on" => true,
                    "off" => false,
                    string other => throw new UsageException($"option '--sensing' must be 'on' or 'off' (got '{other}')"),
                });
        }

        private static LightsPeriod? ParseLights(OptionList options)
        {
            if (options.Optional("--lights-off") is null && options.Optional("--lights-on") is null)
            {
                return null;
            }

            const string Seconds = "seconds from the recording start";
            double off = options.NumberOr("--lights-off", 0, s => s >= 0, Seconds);
            double on = options.NumberOr("--lights-on", double.MaxValue, s => s >= 0, Seconds);
            try
            {
                return LightsPeriod.Create(off, on);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message, e);
            }
        }
    }
}
