using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using SleepScoring.CommandLine;
using SleepScoring.Inference;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Inference.Sensing;
using SleepScoring.Lab.Verbs;
using SleepScoring.Model;
using SleepScoring.Training.Adaptation;
using SleepScoring.Training.Data;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Sites;
using SleepScoring.Training.Training;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>bench sites</c>: the site-shift benchmark. For each cross-validation fold, its held-out
/// subjects' nights are rewritten as a different site would have recorded them (<see cref="SiteShift.All"/>)
/// and scored by the fold's integer model through the service's own pipeline: plainly, with
/// adaptive sensing, with the hypnodensity averaged over slot assignments (natural pairings, or
/// channel groups with each derivation alone too), and after test-time
/// adaptation to the shifted nights; every figure is pooled over the folds' counted epochs.
/// </summary>
internal sealed class BenchSitesVerb : IVerb
{
    private const string Unshifted = "none";

    public string Name => "bench sites";

    public string Arguments => "--cv <dir> --data <dir> --out <report.json> [--folds 0,1,…] [--shifts name,…] [--methods plain,sensing,average,groups,tta] [--exhaustive] [--on test|validation] [--sensing-filters none|lp:25,…] [--prior-weight W] [--scratch <dir>] [--threads N]";

    public string Summary => "site-shift benchmark on the cross-validation's held-out nights: plain, adaptive sensing, assignment average, test-time adaptation";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--cv", "--data", "--out", "--folds", "--shifts", "--methods", "--scratch", "--threads", "--on", "--sensing-filters", "--prior-weight"], ["--exhaustive"]);
        string cv = options.Required("--cv"), data = options.Required("--data"), report = options.Required("--out");
        int threads = options.PositiveOr("--threads", Environment.ProcessorCount);
        string[] methods = (options.Optional("--methods") ?? "plain,sensing,average,tta").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (methods.FirstOrDefault(m => m is not ("plain" or "sensing" or "average" or "groups" or "tta")) is string bad)
        {
            throw new UsageException($"--methods: '{bad}' is not one of plain, sensing, average, groups, tta.");
        }

        SiteShift?[] shifts;
        try
        {
            shifts = [null, .. (options.Optional("--shifts")?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(SiteShift.Named) ?? SiteShift.All)];
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message.Split(" (Parameter")[0]);
        }

        string[] foldDirectories = [.. Directory.EnumerateDirectories(cv, "fold-*").Order(StringComparer.Ordinal)];
        int[] folds = options.Optional("--folds")?.Split(',').Select(f => int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out int j) ? j : throw new UsageException($"--folds: '{f}' is not a fold number.")).ToArray()
            ?? [.. foldDirectories.Select(d => int.Parse(Path.GetFileName(d)["fold-".Length..], CultureInfo.InvariantCulture))];
        string scratch = options.Optional("--scratch") ?? Path.Combine(Path.GetTempPath(), $"sleepscore-sites-{Environment.ProcessId}");
        TorchRuntime.Configure(threads);
        var warnings = new List<string>();
        IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(data, warnings);

        var pooled = new Dictionary<(string Shift, string Method), ConfusionMatrix>();
        var nights = new JsonArray();
        foreach (int fold in folds)
        {
            string foldDirectory = Path.Combine(cv, $"fold-{fold}");
            TrainingRecord record = FloatModelDirectory.Load(foldDirectory).Record;
            // The validation subject's nights serve to tune the sensing objective without touching the test nights.
            PsgPair[] test = options.Optional("--on") switch
            {
                null or "test" => [.. pairs.Where(p => !record.TrainingSubjects.Contains(p.SubjectId) && !record.ValidationSubjects.Contains(p.SubjectId))],
                "validation" => [.. pairs.Where(p => record.ValidationSubjects.Contains(p.SubjectId))],
                string other => throw new UsageException($"--on '{other}' is not one of test, validation."),
            };
            output.WriteLine($"fold {fold}: test nights {string.Join(", ", test.Select(p => p.Name))}");
            using StagingModel model = StagingModel.Load(foldDirectory, new InferenceOptions { Workers = 1, Threads = Math.Min(threads, 2) });
            var scorer = new StudyScorer(model, sensing: Sensing(options, model.Card));
            EpochDataset? validation = methods.Contains("tta") ? AdaptVerb.ValidationNights(data, record, NightImageOptions.From(record.Image, false, threads)) : null;
            foreach (SiteShift? shift in shifts)
            {
                string name = shift?.Name ?? Unshifted;
                string folder = Path.Combine(scratch, $"fold-{fold}", name);
                (string Psg, string Hypnogram)[] files = [.. test.Select(p => Shifted(p, shift, folder))];
                foreach (string method in methods)
                {
                    StudyScorer methodScorer = scorer;
                    StagingModel? adapted = null;
                    if (method == "tta")
                    {
                        adapted = Adapt(foldDirectory, [.. files.Select(f => f.Psg)], Path.Combine(folder, "adapted"), validation!, threads);
                        methodScorer = new StudyScorer(adapted);
                    }

                    try
                    {
                        foreach ((string psg, string hypnogram) in files)
                        {
                            NightOutcome outcome = method is "average" or "groups"
                                ? SiteScoring.ScoreAveraged(methodScorer, psg, hypnogram, method == "groups" ? AssignmentSet.Groups : AssignmentSet.Natural)
                                : SiteScoring.Score(methodScorer, psg, hypnogram, sensing: method == "sensing", exhaustive: method == "sensing" && options.Has("--exhaustive"));
                            (pooled.TryGetValue((name, method), out ConfusionMatrix? m) ? m : pooled[(name, method)] = new ConfusionMatrix()).Add(outcome.Confusion);
                            nights.Add(NightJson(fold, name, method, Path.GetFileName(psg), outcome));
                        }
                    }
                    finally
                    {
                        adapted?.Dispose();
                    }

                    StagingMetrics metrics = StagingMetrics.From(pooled[(name, method)]);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-16} {method,-8} pooled so far {metrics.Accuracy:P1} κ {metrics.Kappa:F3} ({metrics.Epochs} epochs)"));

                    // Written after every step, so a long run interrupted keeps what it measured.
                    File.WriteAllText(report, Report(args, shifts, methods, pooled, nights).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                }
            }
        }

        JsonObject json = Report(args, shifts, methods, pooled, nights);
        File.WriteAllText(report, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        output.Write(Table(shifts, methods, pooled));
        output.WriteLine(report);
        return VerbDispatcher.Success;
    }

    /// <summary>The card's sensing settings, with the filters and prior weight the command line asks to try instead.</summary>
    private static SensingOptions Sensing(OptionList options, ModelCard card)
    {
        SensingOptions sensing = ModelSensing.Options(card);
        try
        {
            if (options.Optional("--sensing-filters") is string filters)
            {
                sensing = sensing with { Filters = filters == "none" ? [] : [.. filters.Split(',').Select(SensingFilter.Parse)] };
            }
        }
        catch (FormatException e)
        {
            throw new UsageException($"--sensing-filters: {e.Message}");
        }

        if (options.Optional("--prior-weight") is string weight)
        {
            sensing = sensing with
            {
                Objective = sensing.Objective with
                {
                    PriorWeight = double.TryParse(weight, NumberStyles.Float, CultureInfo.InvariantCulture, out double w) && w >= 0 ? w : throw new UsageException($"--prior-weight '{weight}' is not a number ≥ 0."),
                },
            };
        }

        return sensing;
    }

    /// <summary>The pair's PSG as <paramref name="shift"/> would have recorded it (written once into <paramref name="folder"/>), beside its hypnogram.</summary>
    private static (string Psg, string Hypnogram) Shifted(PsgPair pair, SiteShift? shift, string folder)
    {
        if (shift is null)
        {
            return (pair.PsgPath, pair.HypnogramPath);
        }

        Directory.CreateDirectory(folder);
        string psg = Path.Combine(folder, Path.GetFileName(pair.PsgPath));
        if (!File.Exists(psg))
        {
            shift.Apply(RecordedStudy.Read(pair.PsgPath), SeededRandom.StableKey(pair.Name)).Write(psg + ".tmp");
            File.Move(psg + ".tmp", psg);
        }

        return (psg, pair.HypnogramPath);
    }

    /// <summary>The fold's float model adapted to the nights <paramref name="site"/> (PSG files: shifted, or the unshifted originals), packaged into <paramref name="into"/> and loaded.</summary>
    private static StagingModel Adapt(string foldDirectory, IReadOnlyList<string> site, string into, EpochDataset validation, int threads)
    {
        (var classifier, var sequence, TrainingRecord record) = FloatModelDirectory.Load(foldDirectory);
        using (classifier)
        using (sequence)
        {
            var notes = new List<string>();
            EpochDataset nights = SiteNights.Load(site, NightImageOptions.From(record.Image, false, threads), classifier.Encoder, sequence, notes);
            AdaptationReport report = TestTimeAdaptation.Run(classifier, sequence, nights, new AdaptationOptions());
            AdaptVerb.Package(into, classifier, sequence, record, nights, validation, TrainVerb.VersionOf(foldDirectory), new { Site = site.Select(Path.GetFileName).ToArray(), Report = report });
        }

        return StagingModel.Load(into, new InferenceOptions { Workers = 1, Threads = Math.Min(threads, 2) });
    }

    private static JsonObject NightJson(int fold, string shift, string method, string file, NightOutcome outcome)
    {
        StagingMetrics? metrics = outcome.Confusion.Total == 0 ? null : StagingMetrics.From(outcome.Confusion);
        var json = new JsonObject
        {
            ["fold"] = fold,
            ["shift"] = shift,
            ["method"] = method,
            ["night"] = file,
            ["epochs"] = outcome.Confusion.Total,
            ["accuracy"] = metrics?.Accuracy,
            ["kappa"] = metrics?.Kappa,
            ["chosen"] = outcome.Chosen,
            ["night_objective"] = outcome.NightObjective,
            ["out_of_distribution"] = outcome.OutOfDistribution,
            ["broadband_noise"] = outcome.BroadbandNoise,
        };
        if (outcome.Candidates.Count > 0)
        {
            json["candidates"] = new JsonArray([.. outcome.Candidates.Select(c => (JsonNode)new JsonObject
            {
                ["step"] = c.Step,
                ["candidate"] = c.Candidate,
                ["entropy"] = double.IsFinite(c.Entropy) ? c.Entropy : null,
                ["prior_divergence"] = double.IsFinite(c.PriorDivergence) ? c.PriorDivergence : null,
                ["sample_accuracy"] = double.IsFinite(c.SampleAccuracy) ? c.SampleAccuracy : null,
                ["accuracy"] = c.Accuracy,
            })]);
        }

        return json;
    }

    private static JsonObject Report(IReadOnlyList<string> args, SiteShift?[] shifts, string[] methods, Dictionary<(string Shift, string Method), ConfusionMatrix> pooled, JsonArray nights)
    {
        var rows = new JsonArray();
        foreach (SiteShift? shift in shifts)
        {
            string name = shift?.Name ?? Unshifted;
            var row = new JsonObject { ["shift"] = name, ["description"] = shift?.Description ?? "the surrogate nights as generated" };
            foreach (string method in methods)
            {
                if (pooled.TryGetValue((name, method), out ConfusionMatrix? m) && m.Total > 0)
                {
                    row[method] = NightEvaluation.ToJson(StagingMetrics.From(m));
                }
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["command"] = "sleepscore bench sites " + string.Join(' ', args),
            ["counted"] = "sleep period ± 30 min of wake of each held-out night, pooled over the folds",
            ["shifts"] = rows,
            ["nights"] = nights.DeepClone(),
        };
    }

    /// <summary>Accuracy / κ per shift and method, the unshifted plain figure beside, and the share of the gap adaptive sensing recovers.</summary>
    private static string Table(SiteShift?[] shifts, string[] methods, Dictionary<(string Shift, string Method), ConfusionMatrix> pooled)
    {
        string Cell(string shift, string method) => pooled.TryGetValue((shift, method), out ConfusionMatrix? m) && m.Total > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{StagingMetrics.From(m).Accuracy:P1} / {StagingMetrics.From(m).Kappa:F3}")
            : "–";
        double? Accuracy(string shift, string method) => pooled.TryGetValue((shift, method), out ConfusionMatrix? m) && m.Total > 0 ? StagingMetrics.From(m).Accuracy : null;
        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine($"| shift | {string.Join(" | ", methods)} | unshifted (plain) | gap recovered by sensing |");
        text.WriteLine($"| --- |{string.Concat(methods.Select(_ => " --- |"))} --- | --- |");
        double? unshifted = Accuracy(Unshifted, "plain");
        foreach (SiteShift? shift in shifts)
        {
            string name = shift?.Name ?? Unshifted;
            double? plain = Accuracy(name, "plain"), sensing = Accuracy(name, "sensing");
            string recovered = unshifted is double u && plain is double p && sensing is double s && shift is not null
                ? (u - p > 0.005 ? string.Create(CultureInfo.InvariantCulture, $"{(s - p) / (u - p):P0}") : string.Create(CultureInfo.InvariantCulture, $"no gap ({(s - u) * 100:+0.0;-0.0} pts)"))
                : "–";
            text.WriteLine($"| {name} | {string.Join(" | ", methods.Select(m => Cell(name, m)))} | {Cell(Unshifted, "plain")} | {recovered} |");
        }

        return text.ToString();
    }
}
