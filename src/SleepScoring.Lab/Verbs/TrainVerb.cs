using System.Globalization;
using System.Text.Json.Nodes;

using SleepScoring.CommandLine;
using SleepScoring.Inference.Sensing;
using SleepScoring.Lab.Evaluation;
using SleepScoring.Model;
using SleepScoring.Onnx.Integer;
using SleepScoring.Rendering.ModelImage;
using SleepScoring.Training.Data;
using SleepScoring.Training.Export;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;
using SleepScoring.Training.Training;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// <c>sleepscore-lab train</c>: loads a folder of PSG/hypnogram pairs (sleep period ± 30 min, images
/// drawn by the service's renderer) and runs <see cref="TwoStageTraining"/>. Without --folds it
/// trains on every subject but one, held out for early stopping, and saves the float model
/// (<see cref="FloatModelDirectory"/>); with --folds k it cross-validates by subject and writes
/// the per-fold and pooled metrics to <c>&lt;out&gt;/cv.json</c>. Checkpoints go under
/// <c>&lt;out&gt;</c>, so an interrupted run resumes.
/// </summary>
internal sealed class TrainVerb : IVerb
{
    /// <summary>The cross-validation report's file name.</summary>
    public const string CrossValidationFile = "cv.json";

    /// <summary>
    /// Version written into the graphs and the card of a trained model unless --model-version says
    /// otherwise: a lab model, not a release (a shipped model is trained or re-exported with its version).
    /// </summary>
    public const string DefaultVersion = "0.0.0-dev";

    /// <summary>The version on the card in <paramref name="modelDirectory"/> (a re-export, compression or adaptation is the same model), or <see cref="DefaultVersion"/> without one.</summary>
    internal static string VersionOf(string modelDirectory)
    {
        string card = Path.Combine(modelDirectory, ModelCard.FileName);
        return File.Exists(card) ? ModelCard.Load(card).Version : DefaultVersion;
    }

    /// <summary>
    /// Band dropout of stages 1 and 2 unless --band-dropout says otherwise: the views at or above
    /// <see cref="FastBandHz"/> silent, as a study sampled at 50 Hz draws them (only when such a view
    /// exists). Off by default since the narrow-band presentation (<see cref="DefaultNarrowBand"/>) teaches
    /// the same absence from images that also lack the band in their trace, as the scorer draws them.
    /// </summary>
    public const double DefaultBandDropout = 0;

    /// <summary>
    /// Chance that an hour of a training night is drawn narrow-band unless --narrow-band says otherwise:
    /// the shipped model's recipe (docs/training.md, docs/montage.md).
    /// </summary>
    public const double DefaultNarrowBand = 0.5;

    /// <summary>Chance that a training hour is drawn through one of the sensing low-passes (<see cref="FilterEdges"/>) unless --filter-band says otherwise.</summary>
    public const double DefaultFilterBand = 0;

    /// <summary>The low-pass edges of the scorer's sensing filters (<see cref="SensingOptions.Filters"/>): what filter hours are drawn through.</summary>
    public static IReadOnlyList<double> FilterEdges { get; } = [.. new SensingOptions().Filters.Where(f => f.HighPassHz is null).Select(f => f.LowPassHz).OfType<double>()];

    /// <summary>
    /// The views under each trace unless --views says otherwise: the shipped model's theta, alpha,
    /// beta and muscle views (the muscle view is what lets sensing see broadband noise).
    /// </summary>
    public static IReadOnlyList<TraceView> DefaultViews { get; } = [.. NightImageOptions.DefaultExtraViews, NightImageOptions.MuscleView];

    /// <summary>Views whose lower edge is at or above this (Hz) are what a 50-Hz recording lacks (its Nyquist frequency).</summary>
    public const double FastBandHz = 25;

    /// <summary>Derivation dropout of stage 1 and stage 2 unless --derivation-dropout says otherwise.</summary>
    public static readonly (double Encoder, double Sequence) DefaultDerivationDropout = (0.2, 0.5);

    public string Name => "train";

    public string Arguments => "--data <dir> --out <dir> [--folds K [--fold J]] [--seed N] [--layout small|medium] [--microvolts µV] [--segments N] [--weighting none|sqrt|balanced] [--embedding-dropout P] [--qat-passes N] [--views none|low-high@µV,…] [--augment none|MAXSHIFT] [--derivation-dropout P[,Q]] [--band-dropout P] [--bandwidth-augmentation P] [--narrow-band P] [--filter-band P] [--filter-edges E,…] [--amplitude-normalisation off|on|recording] [--encoder-patience N] [--tables ivit|exact] [--passes N] [--threads N] [--model-version V]";

    public string Summary => "train the epoch encoder and inter-epoch transformer on PSG/hypnogram pairs (or cross-validate by subject)";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--data", "--out", "--folds", "--seed", "--layout", "--segments", "--weighting", "--passes", "--threads", "--model-version", "--embedding-dropout", "--microvolts", "--qat-passes", "--fold", "--tables", "--views", "--encoder-patience", "--augment", "--derivation-dropout", "--band-dropout", "--bandwidth-augmentation", "--narrow-band", "--filter-band", "--filter-edges", "--amplitude-normalisation"], []);
        string data = options.Required("--data");
        string outDirectory = options.Required("--out");
        int? folds = options.Optional("--folds") is null ? null : options.PositiveOr("--folds", 2);
        int? onlyFold = OnlyFold(options, folds);
        FunctionTables tables = Tables(options.Optional("--tables"));
        long seed = (long)Math.Min(options.UnsignedOr("--seed", 1), long.MaxValue);
        int? passes = options.Optional("--passes") is null ? null : options.PositiveOr("--passes", 1);
        int threads = options.PositiveOr("--threads", Environment.ProcessorCount);
        EpochImageLayout layout = Layout(options.Optional("--layout") ?? EpochImageLayout.Small.Name);
        if (options.Optional("--microvolts") is string microvolts)
        {
            // Amplitude at a strip's edge: a finer scale shows spindles and K-complexes larger and clips slow waves sooner.
            layout = layout with { MicrovoltsPerHalfStrip = float.TryParse(microvolts, NumberStyles.Float, CultureInfo.InvariantCulture, out float uv) && uv is > 0 and <= 10_000 ? uv : throw new UsageException($"--microvolts '{microvolts}' is not an amplitude in (0, 10000] µV.") };
        }

        IReadOnlyList<TraceView> extraViews = Views(options.Optional("--views"));
        var model = new ModelOptions
        {
            ImageHeight = NightImageOptions.Derivations.Count * (1 + extraViews.Count) * layout.StripHeight,
            ImageWidth = layout.Width,
            Segments = options.PositiveOr("--segments", new ModelOptions().Segments),
            EmbeddingDropout = Fraction("--embedding-dropout", options.Optional("--embedding-dropout"), new ModelOptions().EmbeddingDropout),
        };
        ClassWeighting weighting = Weighting(options.Optional("--weighting"));
        try
        {
            model.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"layout '{layout.Name}' with {model.Segments} segments does not fit the model: {e.Message}");
        }

        var defaults = new TwoStageOptions();
        var training = new TwoStageOptions
        {
            Model = model,
            Seed = seed,
            Encoder = defaults.Encoder with { Passes = passes ?? defaults.Encoder.Passes, Seed = (ulong)seed, ClassWeighting = weighting, Patience = options.PositiveOr("--encoder-patience", defaults.Encoder.Patience) },
            Sequence = defaults.Sequence with { Passes = passes ?? defaults.Sequence.Passes, Seed = (ulong)seed, ClassWeighting = weighting },
            Augmentation = Augmentation(options.Optional("--augment"), (ulong)seed),
            QuantizationAware = defaults.QuantizationAware with
            {
                Passes = (int)Math.Min(Math.Min((ulong)(passes ?? int.MaxValue), options.UnsignedOr("--qat-passes", (ulong)defaults.QuantizationAware.Passes)), int.MaxValue),
                Seed = (ulong)seed,
                ClassWeighting = weighting,
            },
        };

        TorchRuntime.Configure(threads, seed);
        var imageOptions = new NightImageOptions
        {
            Layout = layout,
            MaxParallelism = threads,
            ExtraViews = extraViews,
            AmplitudeNormalisation = options.Optional("--amplitude-normalisation") switch
            {
                "on" => NightImageOptions.DefaultAmplitudeNormalisation,
                null or "recording" => NightImageOptions.DefaultAmplitudeNormalisation with { OverRecording = true },
                "off" => null,
                string other => throw new UsageException($"--amplitude-normalisation '{other}' is not 'on', 'recording' or 'off'."),
            },
        };
        var silent = new SilentDerivation(imageOptions);
        (double encoderDropout, double sequenceDropout) = DropoutProbabilities(options.Optional("--derivation-dropout"));
        int[] fastViews = [.. imageOptions.Views.Select((v, i) => (v, i)).Where(p => p.v.LowHz >= FastBandHz).Select(p => p.i)];
        double bandDropout = Fraction("--band-dropout", options.Optional("--band-dropout"), DefaultBandDropout);
        training = training with
        {
            Dropout = encoderDropout > 0 ? new DerivationDropout((ulong)seed, encoderDropout, silent) : null,
            SequenceDropout = sequenceDropout > 0 ? new DerivationDropout((ulong)seed, sequenceDropout, silent) : null,
            BandDropout = bandDropout > 0 && fastViews.Length > 0 ? new BandDropout((ulong)seed, bandDropout, silent, fastViews) : null,
        };
        double bandwidth = Fraction("--bandwidth-augmentation", options.Optional("--bandwidth-augmentation"), 0, includingOne: true);
        double narrowBand = Fraction("--narrow-band", options.Optional("--narrow-band"), DefaultNarrowBand, includingOne: false);
        double filterBand = Fraction("--filter-band", options.Optional("--filter-band"), DefaultFilterBand, includingOne: false);
        if (narrowBand > 0)
        {
            imageOptions = imageOptions with { NarrowBand = NarrowBandAugmentation.DefaultEdge };
        }

        if (filterBand > 0)
        {
            imageOptions = narrowBand > 0 && narrowBand + filterBand <= 1
                ? imageOptions with { FilterEdges = ParseFilterEdges(options.Optional("--filter-edges")) }
                : throw new UsageException($"--filter-band {filterBand} needs --narrow-band above 0 with the two adding to at most 1 (--narrow-band is {narrowBand}).");
        }

        IReadOnlyList<LoadedNight> nights = TrainingFolder.Load(data, imageOptions, Console.Error);

        IReadOnlyList<LoadedNight> trainingNights = TrainingNights(data, imageOptions, seed, bandwidth, narrowBand, filterBand) ?? nights;
        var context = new RunContext("sleepscore-lab train " + string.Join(' ', args), data, outDirectory, nights, trainingNights, training, imageOptions.Spec(model.Segments), options.Optional("--model-version") ?? DefaultVersion, tables, onlyFold, silent, bandwidth > 0 ? bandwidth : null, narrowBand > 0 ? narrowBand : null, filterBand > 0 ? filterBand : null);
        return folds is int k ? CrossValidate(context, k, output) : TrainAll(context, output);
    }

    /// <summary>
    /// The nights drawn with the hours a training subject's images take low-passed or narrow-band
    /// (seeded, so <c>export</c> draws the same hours again and quantizes on what <c>train</c> did);
    /// null when neither augmentation is on. Validation and test nights stay as recorded.
    /// </summary>
    internal static IReadOnlyList<LoadedNight>? TrainingNights(string data, NightImageOptions options, long seed, double bandwidth, double narrowBand, double filterBand) =>
        bandwidth > 0 || narrowBand > 0
            ? TrainingFolder.Load(data, options with
            {
                BandwidthAugmentation = bandwidth > 0 ? new BandwidthAugmentation((ulong)seed, bandwidth) : null,
                NarrowBandAugmentation = narrowBand > 0 ? new NarrowBandAugmentation((ulong)seed, narrowBand, filterBand) : null,
            }, TextWriter.Null)
            : null;

    /// <summary>
    /// The training subjects' images of <paramref name="record"/> as train drew them (<see cref="TrainingNights"/>,
    /// else <paramref name="plain"/>), for the verbs that quantize or fine-tune a trained folder again.
    /// </summary>
    internal static EpochDataset TrainingImages(string data, NightImageOptions options, TrainingRecord record, EpochDataset plain)
    {
        IReadOnlyList<LoadedNight>? augmented = TrainingNights(data, options, record.Seed, record.Settings?.BandwidthAugmentation ?? 0, record.Settings?.NarrowBandProbability ?? 0, record.Settings?.FilterBandProbability ?? 0);
        return (augmented is null ? plain : new EpochDataset(augmented.Select(n => n.Images), sleepPeriodOnly: true)).ForSubjects(record.TrainingSubjects);
    }

    private static int TrainAll(RunContext run, TextWriter output)
    {
        (IReadOnlyList<string> trainSubjects, IReadOnlyList<string> validationSubjects) = Split(run.Nights.Select(n => n.Pair.SubjectId), run.Options.Encoder.Seed, "the folder");
        (TwoStageResult result, EpochDataset training, EpochDataset validation) = Train(run, trainSubjects, validationSubjects, Path.Combine(run.Out, "checkpoints"));
        using (result.Classifier)
        using (result.Sequence)
        {
            ModelFolderExport.Write(run.Out, result, Record(run, trainSubjects, validationSubjects, result), training, validation, run.Version, run.Tables);
        }

        TrainingAmplitude.Write(run.Out, run.Data, output);

        if (result.SequencePasses.Count > 0)
        {
            TrainingFolder.Write(output, $"validation (subjects {string.Join(", ", validationSubjects)}), last sequence pass", result.SequencePasses[^1].Validation);
        }

        output.WriteLine(Path.Combine(run.Out, FloatModelDirectory.RecordFile));
        return VerbDispatcher.Success;
    }

    private int CrossValidate(RunContext run, int folds, TextWriter output)
    {
        IReadOnlyList<IReadOnlyList<string>> testFolds;
        try
        {
            testFolds = SubjectFolds.Assign(run.Nights.Select(n => n.Pair.SubjectId), folds);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new TrainingDataException($"--folds {folds}: {e.Message.Split(Environment.NewLine)[0]}");
        }

        var pooled = new ConfusionMatrix();
        var pooledComparison = new FloatIntegerComparison();
        var pooledSingle = new Dictionary<string, FloatIntegerComparison>();
        var foldReports = new JsonArray();
        for (int j = 0; j < testFolds.Count; j++)
        {
            if (run.OnlyFold is int only && only != j)
            {
                continue;
            }

            IReadOnlyList<string> test = testFolds[j];
            (IReadOnlyList<string> trainSubjects, IReadOnlyList<string> validationSubjects) = Split(run.Nights.Select(n => n.Pair.SubjectId).Where(s => !test.Contains(s)), run.Options.Encoder.Seed, $"fold {j}");
            string foldDirectory = Path.Combine(run.Out, $"fold-{j}");
            (TwoStageResult result, EpochDataset training, EpochDataset validation, TrainingRecord record) = TrainedFold(foldDirectory, run, trainSubjects, validationSubjects, output)
                ?? TrainFold(run, trainSubjects, validationSubjects, foldDirectory);
            using (result.Classifier)
            using (result.Sequence)
            {
                IntegerStagingModel integer = ModelFolderExport.Write(foldDirectory, result, record, training, validation, run.Version, run.Tables);
                TrainingAmplitude.Write(foldDirectory, run.Data, output);
                var comparison = new FloatIntegerComparison();
                var floatByNight = new Dictionary<NightImages, float[,]>();
                (ConfusionMatrix matrix, JsonObject report) = NightEvaluation.Run(
                    night => floatByNight[night] = NightScorer.Probabilities(result.Classifier.Encoder, result.Sequence, night),
                    run.Nights.Where(n => test.Contains(n.Pair.SubjectId)),
                    sleepPeriodOnly: true);
                foreach ((NightImages night, float[,] probabilities) in floatByNight)
                {
                    comparison.Add(night, probabilities, integer.Probabilities(night));
                }

                JsonObject single = SingleDerivation(run, result, integer, run.Nights.Where(n => test.Contains(n.Pair.SubjectId)), pooledSingle);
                pooled.Add(matrix);
                pooledComparison.Add(comparison);
                report.Insert(0, "fold", j);
                report.Insert(1, "test_subjects", new JsonArray([.. test.Select(s => JsonValue.Create(s))]));
                report.Insert(2, "training_subjects", new JsonArray([.. trainSubjects.Select(s => JsonValue.Create(s))]));
                report.Insert(3, "validation_subjects", new JsonArray([.. validationSubjects.Select(s => JsonValue.Create(s))]));
                report.Insert(4, "trained_by", record.Command);
                foreach ((string key, JsonNode? value) in comparison.ToJson().ToList())
                {
                    report[key] = value?.DeepClone();
                }

                report["single_derivation"] = single;
                foldReports.Add(report);
                TrainingFolder.Write(output, string.Create(CultureInfo.InvariantCulture, $"fold {j} (test subjects {string.Join(", ", test)}), float"), StagingMetrics.From(matrix));
                TrainingFolder.Write(output, string.Create(CultureInfo.InvariantCulture, $"fold {j}, integer (same stage as float on {comparison.Agreement:P1})"), StagingMetrics.From(comparison.Integer));
            }
        }

        StagingMetrics total = StagingMetrics.From(pooled);
        var cv = new JsonObject
        {
            ["command"] = run.Command,
            ["data_folder"] = Path.GetFullPath(run.Data),
            ["image"] = System.Text.Json.JsonSerializer.SerializeToNode(run.Image, ModelCard.Json),
            ["model"] = System.Text.Json.JsonSerializer.SerializeToNode(run.Options.Model, ModelCard.Json),
            ["seed"] = run.Options.Seed,
            ["counted"] = "sleep period ± 30 min of wake",
            ["pooled"] = NightEvaluation.ToJson(total),
            ["folds"] = foldReports,
        };
        foreach ((string key, JsonNode? value) in pooledComparison.ToJson().ToList())
        {
            cv["pooled"]![key] = value?.DeepClone();
        }

        cv["pooled"]!["single_derivation"] = SingleDerivationJson(pooledSingle);
        foreach ((string name, FloatIntegerComparison c) in pooledSingle)
        {
            TrainingFolder.Write(output, string.Create(CultureInfo.InvariantCulture, $"pooled, {name.Replace('_', ' ')}, float"), StagingMetrics.From(c.Float));
            TrainingFolder.Write(output, string.Create(CultureInfo.InvariantCulture, $"pooled, {name.Replace('_', ' ')}, integer (same stage as float on {c.Agreement:P1})"), StagingMetrics.From(c.Integer));
        }

        Directory.CreateDirectory(run.Out);

        // One fold alone (--fold J) reports beside its folder, so parallel folds never share a file
        // and no single fold is mistaken for the pooled cross-validation.
        string path = Path.Combine(run.Out, run.OnlyFold is int alone ? $"fold-{alone}.{CrossValidationFile}" : CrossValidationFile);
        File.WriteAllText(path, cv.ToJsonString(ModelCard.Json));
        TrainingFolder.Write(output, "pooled, float", total);
        TrainingFolder.Write(output, string.Create(CultureInfo.InvariantCulture, $"pooled, integer (same stage as float on {pooledComparison.Agreement:P1})"), StagingMetrics.From(pooledComparison.Integer));
        output.WriteLine(path);
        return VerbDispatcher.Success;
    }

    /// <summary>
    /// The test nights scored with one EEG derivation drawn silent, float and integer: how the model
    /// does on a montage with only the frontal or only the posterior derivation. Adds to <paramref name="pooled"/>.
    /// </summary>
    private static JsonObject SingleDerivation(RunContext run, TwoStageResult result, IntegerStagingModel integer, IEnumerable<LoadedNight> test, Dictionary<string, FloatIntegerComparison> pooled)
    {
        var fold = new Dictionary<string, FloatIntegerComparison>();
        foreach (LoadedNight night in test)
        {
            for (int silent = 0; silent < run.Silent.Derivations; silent++)
            {
                string name = SingleDerivationName(silent);
                NightImages images = run.Silent.Silenced(night.Images, silent);
                var comparison = new FloatIntegerComparison();
                comparison.Add(images, NightScorer.Probabilities(result.Classifier.Encoder, result.Sequence, images), integer.Probabilities(images));
                (fold.TryGetValue(name, out FloatIntegerComparison? f) ? f : fold[name] = new FloatIntegerComparison()).Add(comparison);
                (pooled.TryGetValue(name, out FloatIntegerComparison? p) ? p : pooled[name] = new FloatIntegerComparison()).Add(comparison);
            }
        }

        return SingleDerivationJson(fold);
    }

    /// <summary>Which derivation remains when <paramref name="silent"/> is silent.</summary>
    private static string SingleDerivationName(int silent) => silent switch
    {
        0 => "posterior_only",
        1 => "frontal_only",
        _ => $"without_derivation_{silent}",
    };

    private static JsonObject SingleDerivationJson(Dictionary<string, FloatIntegerComparison> comparisons)
    {
        var json = new JsonObject();
        foreach ((string name, FloatIntegerComparison c) in comparisons.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            JsonObject entry = NightEvaluation.ToJson(StagingMetrics.From(c.Float));
            foreach ((string key, JsonNode? value) in c.ToJson().ToList())
            {
                entry[key] = value?.DeepClone();
            }

            json[name] = entry;
        }

        return json;
    }

    private static (TwoStageResult, EpochDataset, EpochDataset, TrainingRecord) TrainFold(RunContext run, IReadOnlyList<string> trainSubjects, IReadOnlyList<string> validationSubjects, string foldDirectory)
    {
        (TwoStageResult result, EpochDataset training, EpochDataset validation) = Train(run, trainSubjects, validationSubjects, Path.Combine(foldDirectory, "checkpoints"));
        return (result, training, validation, Record(run, trainSubjects, validationSubjects, result));
    }

    /// <summary>
    /// A fold whose folder already holds trained weights of this configuration (same subjects, model
    /// options, image spec and seed; e.g. a fold trained alone with <c>--fold J</c>, or a cross-validation
    /// interrupted after it) is loaded instead of trained again; its record keeps the command that trained it.
    /// </summary>
    private static (TwoStageResult, EpochDataset, EpochDataset, TrainingRecord)? TrainedFold(string foldDirectory, RunContext run, IReadOnlyList<string> trainSubjects, IReadOnlyList<string> validationSubjects, TextWriter output)
    {
        if (!File.Exists(Path.Combine(foldDirectory, FloatModelDirectory.RecordFile)))
        {
            return null;
        }

        (EpochClassifier classifier, InterEpochTransformer sequence, TrainingRecord record) = FloatModelDirectory.Load(foldDirectory);
        bool same = record.Seed == run.Options.Seed && record.Model == run.Options.Model && record.Image.SameAs(run.Image)
            && record.Settings is { } settings && settings.SameAs(run.Settings)
            && record.MaxPasses.SequenceEqual([run.Options.Encoder.Passes, run.Options.Sequence.Passes])
            && record.TrainingSubjects.SequenceEqual(trainSubjects) && record.ValidationSubjects.SequenceEqual(validationSubjects)
            && record.Nights.Select(n => (n.Name, n.Epochs)).SequenceEqual(run.Nights.Select(n => (n.Pair.Name, n.Images.Count)));
        if (!same)
        {
            classifier.Dispose();
            sequence.Dispose();
            throw new TrainingDataException($"{foldDirectory} holds a model trained otherwise ({record.Command}: different data, subjects, model, images, seed or training settings); use a fresh --out folder.");
        }

        output.WriteLine($"{Path.GetFileName(foldDirectory)}: trained weights found ({record.Command}); evaluating them");
        var result = new TwoStageResult(classifier, sequence, record.EncoderPasses, record.SequencePasses) { QuantizationAwarePasses = record.QuantizationAwarePasses };
        (EpochDataset training, EpochDataset validation) = Datasets(run, trainSubjects, validationSubjects);
        return (result, training, validation, record);
    }

    private static (TwoStageResult Result, EpochDataset Training, EpochDataset Validation) Train(RunContext run, IReadOnlyList<string> trainSubjects, IReadOnlyList<string> validationSubjects, string checkpoints)
    {
        (EpochDataset training, EpochDataset validation) = Datasets(run, trainSubjects, validationSubjects);
        return (TwoStageTraining.Run(training, validation, run.Options with { CheckpointDirectory = checkpoints }), training, validation);
    }

    /// <summary>The training subjects' images (with their low-passed or narrow-band hours when asked) and the validation subjects' as recorded.</summary>
    private static (EpochDataset Training, EpochDataset Validation) Datasets(RunContext run, IReadOnlyList<string> trainSubjects, IReadOnlyList<string> validationSubjects) =>
        (new EpochDataset(run.TrainingNights.Select(n => n.Images), sleepPeriodOnly: true).ForSubjects(trainSubjects),
         new EpochDataset(run.Nights.Select(n => n.Images), sleepPeriodOnly: true).ForSubjects(validationSubjects));

    private static TrainingRecord Record(RunContext run, IReadOnlyList<string> trainSubjects, IReadOnlyList<string> validationSubjects, TwoStageResult result) => new()
    {
        Command = run.Command,
        Settings = run.Settings,
        Model = run.Options.Model,
        Image = run.Image,
        Seed = run.Options.Seed,
        MaxPasses = [run.Options.Encoder.Passes, run.Options.Sequence.Passes],
        DataFolder = Path.GetFullPath(run.Data),
        Nights = [.. run.Nights.Select(NightDescription.From)],
        TrainingSubjects = trainSubjects,
        ValidationSubjects = validationSubjects,
        EncoderPasses = result.EncoderPasses,
        SequencePasses = result.SequencePasses,
        QuantizationAwarePasses = result.QuantizationAwarePasses,
    };

    /// <summary>One validation subject for early stopping (seeded), the rest train; needs two subjects.</summary>
    private static (IReadOnlyList<string> Training, IReadOnlyList<string> Validation) Split(IEnumerable<string> subjects, ulong seed, string where)
    {
        string[] distinct = [.. subjects.Distinct(StringComparer.Ordinal)];
        if (distinct.Length < 2)
        {
            throw new TrainingDataException($"{where} has {distinct.Length} training subject(s); training holds one out for early stopping and needs at least 2.");
        }

        return SubjectSplit.Split(distinct, 1, seed);
    }

    /// <summary>A probability option: <paramref name="fallback"/> when absent, else a number in [0, 1) (or [0, 1] <paramref name="includingOne"/>).</summary>
    private static double Fraction(string option, string? text, double fallback, bool includingOne = false) =>
        text is null ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && (includingOne ? value <= 1 : value < 1) ? value
        : throw new UsageException($"{option} '{text}' is not a number in [0, 1{(includingOne ? "]" : ")")}.");

    /// <summary>--filter-edges E[,E…]: which of the sensing low-passes (<see cref="FilterEdges"/>, the default) filter hours are drawn through.</summary>
    private static IReadOnlyList<double> ParseFilterEdges(string? text)
    {
        if (text is null)
        {
            return FilterEdges;
        }

        double[] edges = [.. text.Split(',').Select(part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double hz) && FilterEdges.Contains(hz)
            ? hz
            : throw new UsageException($"--filter-edges '{text}': '{part}' is not one of the sensing low-pass edges ({string.Join(", ", FilterEdges.Select(e => e.ToString(CultureInfo.InvariantCulture)))} Hz)."))];
        return edges.Distinct().Count() == edges.Length ? edges : throw new UsageException($"--filter-edges '{text}' names an edge twice.");
    }

    /// <summary>
    /// --derivation-dropout P[,Q]: chance that a stage-1 image (P) and a stage-2 window (Q, default
    /// P) loses one EEG derivation (default <see cref="DefaultDerivationDropout"/>; 0: none).
    /// </summary>
    private static (double Encoder, double Sequence) DropoutProbabilities(string? text)
    {
        if (text is null)
        {
            return DefaultDerivationDropout;
        }

        double[] values = [.. text.Split(',').Select(part =>
            double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value is >= 0 and < 1 ? value
            : throw new UsageException($"--derivation-dropout '{text}' is not P or P,Q with numbers in [0, 1)."))];
        return values.Length switch
        {
            1 => (values[0], values[0]),
            2 => (values[0], values[1]),
            _ => throw new UsageException($"--derivation-dropout '{text}' is not P or P,Q with numbers in [0, 1)."),
        };
    }

    /// <summary>--augment none|N: time reversal with shifts up to N columns (default 10), or none.</summary>
    private static TimeAugmentation? Augmentation(string? text, ulong seed) => text switch
    {
        null => new TimeAugmentation(seed),
        "none" => null,
        _ when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int shift) && shift <= 100 => new TimeAugmentation(seed, shift),
        _ => throw new UsageException($"--augment '{text}' is not 'none' or a shift of 0–100 columns."),
    };

    /// <summary>--fold J: one fold of --folds K, J in [0, K).</summary>
    private static int? OnlyFold(OptionList options, int? folds)
    {
        if (options.Optional("--fold") is not string text)
        {
            return null;
        }

        if (folds is not int k)
        {
            throw new UsageException("--fold J needs --folds K: it names one fold of a cross-validation.");
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int j) && j < k
            ? j
            : throw new UsageException($"--fold '{text}' is not a fold number in [0, {k}).");
    }

    /// <summary>The band-passed views under each trace: "none", or comma-separated "low-high@µV" (default: the shipped views).</summary>
    private static IReadOnlyList<TraceView> Views(string? text)
    {
        if (text is null)
        {
            return DefaultViews;
        }

        try
        {
            return text == "none" ? [] : [.. text.Split(',').Select(TraceView.Parse)];
        }
        catch (FormatException e)
        {
            throw new UsageException($"--views: {e.Message}");
        }
    }

    /// <summary>The lookup tables named on the command line (default: I-ViT's).</summary>
    internal static FunctionTables Tables(string? name) => name switch
    {
        null or "ivit" => FunctionTables.IVitShifts,
        "exact" => FunctionTables.Exact,
        _ => throw new UsageException($"--tables '{name}' is not one of ivit, exact."),
    };

    private static ClassWeighting Weighting(string? name) => name switch
    {
        null or "none" => ClassWeighting.None,
        "sqrt" => ClassWeighting.SquareRootBalanced,
        "balanced" => ClassWeighting.Balanced,
        _ => throw new UsageException($"--weighting '{name}' is not one of none, sqrt, balanced."),
    };

    private static EpochImageLayout Layout(string name)
    {
        try
        {
            return EpochImageLayout.FromName(name);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message.Split(" (Parameter")[0]);
        }
    }

    private sealed record RunContext(string Command, string Data, string Out, IReadOnlyList<LoadedNight> Nights, IReadOnlyList<LoadedNight> TrainingNights, TwoStageOptions Options, ModelImageSpec Image, string Version, FunctionTables Tables, int? OnlyFold, SilentDerivation Silent, double? Bandwidth, double? NarrowBand, double? FilterBand)
    {
        /// <summary>What the card and training.json record of this run's training.</summary>
        public TrainingSettings Settings => TrainingSettings.From(Options) with { BandwidthAugmentation = Bandwidth, NarrowBandProbability = NarrowBand, FilterBandProbability = FilterBand };
    }
}
