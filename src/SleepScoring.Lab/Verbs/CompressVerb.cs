using System.Globalization;
using System.Text.Json;

using SleepScoring.CommandLine;
using SleepScoring.Inference;
using SleepScoring.Inference.Model;
using SleepScoring.Lab.Evaluation;
using SleepScoring.Model;
using SleepScoring.Training.Compression;
using SleepScoring.Training.Data;
using SleepScoring.Training.Export;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;
using SleepScoring.Training.Training;

using TorchSharp;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// <c>sleepscore-lab compress</c>: the compression study of one trained cross-validation fold.
/// From the fold's float weights it makes the reference and each compressed variant — structured
/// pruning (<see cref="StructuredPruning"/>, then <see cref="CompressionFineTune"/>) and k-means
/// weight sharing (<see cref="WeightSharing"/>, no fine-tune) — exports each through the ordinary
/// export (integer-only graphs, float graphs, card stating the compression), and scores the
/// fold's held-out subjects (those neither trained on nor validated on) with the float model and
/// with the integer graphs on ONNX Runtime. A verb of its own rather than an <c>evaluate</c>
/// option: it makes new models (and trains), which evaluate never does. <c>--table</c> pools the
/// folds written under one folder and times every variant's graphs side by side.
/// </summary>
internal sealed class CompressVerb : IVerb
{
    /// <summary>Each fold's results inside its output folder.</summary>
    public const string ResultFile = "compression.json";

    public string Name => "compress";

    public string Arguments => "--model <fold dir> --data <dir> --out <dir> [--prune 0.25,0.5] [--codebooks 16,64] [--encoder-steps N] [--sequence-steps N] [--threads N] | --table <out dir> [--repeats N]";

    public string Summary => "compression study of a trained fold: structured pruning + fine-tune, k-means weight sharing; accuracy, agreement, size, MACs (--table: pooled table with latency)";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--data", "--out", "--prune", "--codebooks", "--encoder-steps", "--sequence-steps", "--threads", "--table", "--repeats"], []);
        if (options.Optional("--table") is string table)
        {
            TorchRuntime.Configure(1);
            CompressionTable.Write(table, options.PositiveOr("--repeats", 5), output);
            return VerbDispatcher.Success;
        }

        string modelDirectory = options.Required("--model");
        string data = options.Required("--data");
        string outDirectory = Path.Combine(options.Required("--out"), Path.GetFileName(Path.GetFullPath(modelDirectory).TrimEnd('/')));
        int threads = options.PositiveOr("--threads", Environment.ProcessorCount);
        double[] fractions = Numbers(options.Optional("--prune") ?? "0.25,0.5", "--prune");
        int[] codebooks = [.. Numbers(options.Optional("--codebooks") ?? "16,64", "--codebooks").Select(c => (int)c)];
        var fineTune = new FineTuneOptions { EncoderSteps = options.PositiveOr("--encoder-steps", 200), SequenceSteps = options.PositiveOr("--sequence-steps", 50) };
        TorchRuntime.Configure(threads);

        (EpochClassifier original, InterEpochTransformer originalSequence, TrainingRecord record) = FloatModelDirectory.Load(modelDirectory);
        original.Dispose();
        originalSequence.Dispose();

        NightImageOptions imageOptions = NightImageOptions.From(record.Image, false, threads);
        IReadOnlyList<LoadedNight> nights = TrainingFolder.Load(data, imageOptions, Console.Error);
        var all = new EpochDataset(nights.Select(n => n.Images), sleepPeriodOnly: true);

        // Calibrated and fine-tuned on the training images train drew (its narrow-band hours too), so the
        // reference variant is the fold's own integer model.
        EpochDataset training = TrainVerb.TrainingImages(data, imageOptions, record, all), validation = all.ForSubjects(record.ValidationSubjects);
        LoadedNight[] test = [.. nights.Where(n => !record.TrainingSubjects.Contains(n.Pair.SubjectId) && !record.ValidationSubjects.Contains(n.Pair.SubjectId))];
        if (test.Length == 0)
        {
            throw new TrainingDataException($"'{data}' holds no night of a subject held out from {modelDirectory} (every subject was trained or validated on).");
        }

        string[] testSubjects = [.. test.Select(n => n.Pair.SubjectId).Distinct().Order(StringComparer.Ordinal)];
        output.WriteLine($"fold {modelDirectory}: held-out subjects {string.Join(',', testSubjects)}, {test.Length} night(s)");
        var variants = new List<Variant> { new("reference", "reference", null, null) };
        variants.AddRange(fractions.Select(f => new Variant(string.Create(CultureInfo.InvariantCulture, $"prune {f:P0}"), string.Create(CultureInfo.InvariantCulture, $"prune-{f * 100:F0}"), f, null)));
        variants.AddRange(codebooks.Select(k => new Variant($"k-means {k}", $"kmeans-{k}", null, k)));
        var rows = new List<CompressionRow>();
        foreach (Variant variant in variants)
        {
            rows.Add(Measure(variant, modelDirectory, Path.Combine(outDirectory, variant.Slug), record, training, validation, test, fineTune, output));
        }

        Directory.CreateDirectory(outDirectory);
        var result = new CompressionResult(Path.GetFullPath(modelDirectory), testSubjects, fineTune, rows);
        string path = Path.Combine(outDirectory, ResultFile);
        File.WriteAllText(path, JsonSerializer.Serialize(result, ModelCard.Json));
        output.WriteLine(path);
        return VerbDispatcher.Success;
    }

    private static CompressionRow Measure(Variant variant, string modelDirectory, string directory, TrainingRecord record, EpochDataset training, EpochDataset validation, IReadOnlyList<LoadedNight> test, FineTuneOptions fineTune, TextWriter output)
    {
        (EpochClassifier classifier, InterEpochTransformer sequence, _) = FloatModelDirectory.Load(modelDirectory);
        classifier.eval();
        sequence.eval();
        var compression = ModelFolderExport.Uncompressed;
        long sharedWeights = 0, packedBytes = 0;
        IReadOnlyList<PassRecord> encoderPasses = record.EncoderPasses, sequencePasses = record.SequencePasses;
        if (variant.Fraction is double fraction)
        {
            PruningPlan plan;
            using (torch.Tensor images = training.Images(IntegerStagingModel.Spread(training, 1024)))
            {
                plan = StructuredPruning.Plan(classifier.Encoder, sequence, images, fraction);
            }

            (EpochClassifier prunedClassifier, InterEpochTransformer prunedSequence) = StructuredPruning.Apply(classifier, sequence, plan);
            classifier.Dispose();
            sequence.Dispose();
            (classifier, sequence) = (prunedClassifier, prunedSequence);
            FineTuneResult tuned = CompressionFineTune.Run(classifier, sequence, training, validation, fineTune);
            (encoderPasses, sequencePasses) = (tuned.Encoder, tuned.Sequence);
            ModelOptions o = classifier.Encoder.Options;
            compression = new CompressionApplied(
                string.Create(CultureInfo.InvariantCulture, $"structured, {fraction:P0} of each kind of unit removed: patch-stem units {record.Model.StemChannels}→{o.StemChannels} (mean ReLU output on 1024 training epochs × L1 of the projection column), attention heads {record.Model.Heads}→{o.Heads} per layer (L1 of the head's value→output map), MLP hidden channels {record.Model.MlpDim}→{o.MlpDim} per layer (L1 of fc1 row × fc2 column); then {tuned.EncoderSteps} encoder steps (batch 64) and {tuned.SequenceSteps} inter-epoch steps (batch 256) on the training subjects, peak learning rate {fineTune.LearningRate}"),
                "none");
        }

        if (variant.Codebook is int size)
        {
            foreach (Codebook book in WeightSharing.Apply(classifier.Encoder, size).Values.Concat(WeightSharing.Apply(sequence, size).Values))
            {
                sharedWeights += book.Indices.Length;
                packedBytes += book.PackedBytes;
            }

            compression = new CompressionApplied("none", $"k-means, at most {size} int8 values per layer (symmetric codebook, extremes pinned at the channel step's ±levels) for every weight matrix of both graphs; stored as int8 values in the graphs, {Math.Ceiling(Math.Log2(size))}-bit indices + codebook when packed; no fine-tune");
        }

        using (classifier)
        using (sequence)
        {
            ModelOptions options = classifier.Encoder.Options;
            TrainingRecord variantRecord = record with { Model = options, Command = $"sleepscore-lab compress ({variant.Name}) of {Path.GetFullPath(modelDirectory)}", EncoderPasses = encoderPasses, SequencePasses = sequencePasses };
            ModelFolderExport.Write(directory, new TwoStageResult(classifier, sequence, encoderPasses, sequencePasses), variantRecord, training, validation, $"{TrainVerb.VersionOf(modelDirectory)}-{variant.Slug}", compression: compression);

            var floatByNight = new Dictionary<NightImages, float[,]>();
            (ConfusionMatrix floatMatrix, _) = NightEvaluation.Run(night => floatByNight[night] = NightScorer.Probabilities(classifier.Encoder, sequence, night), test, sleepPeriodOnly: true);
            var comparison = new FloatIntegerComparison();
            using (StagingModel model = StagingModel.Load(directory, new InferenceOptions { Workers = 1, Threads = 1 }))
            {
                var scorer = new IntegerNightScorer(model);
                foreach (LoadedNight night in test)
                {
                    comparison.Add(night.Images, floatByNight[night.Images], scorer.Probabilities(night.Images));
                }
            }

            long integerBytes = new FileInfo(Path.Combine(directory, ModelPackage.EncoderInteger)).Length + new FileInfo(Path.Combine(directory, ModelPackage.SequenceInteger)).Length;
            long floatBytes = new FileInfo(Path.Combine(directory, ModelPackage.EncoderFloat)).Length + new FileInfo(Path.Combine(directory, ModelPackage.SequenceFloat)).Length;
            long parameters = classifier.Encoder.parameters().Sum(p => p.numel()) + sequence.parameters().Sum(p => p.numel());
            var row = new CompressionRow(variant.Name, variant.Slug, Path.GetFullPath(directory), compression, StagingMetrics.From(floatMatrix).Confusion, StagingMetrics.From(comparison.Integer).Confusion,
                (long)Math.Round(comparison.Agreement * comparison.Epochs), comparison.Epochs, parameters, integerBytes, floatBytes,
                variant.Codebook is null ? integerBytes : integerBytes - sharedWeights + packedBytes, ModelCost.MacsPerEpoch(options));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant.Name}: float {StagingMetrics.From(floatMatrix).Accuracy:P1} κ {StagingMetrics.From(floatMatrix).Kappa:F3}, integer {StagingMetrics.From(comparison.Integer).Accuracy:P1} κ {StagingMetrics.From(comparison.Integer).Kappa:F3}, same stage {comparison.Agreement:P1}, {parameters} parameters, integer graphs {integerBytes} B, {row.MacsPerEpoch} MACs/epoch"));
            return row;
        }
    }

    private static double[] Numbers(string list, string option)
    {
        try
        {
            return [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        }
        catch (FormatException e)
        {
            throw new UsageException($"{option} {list}: expected comma-separated numbers ({e.Message}).");
        }
    }

    private sealed record Variant(string Name, string Slug, double? Fraction, int? Codebook);
}

/// <summary>One variant of one fold: where it was written, what was applied, and what it measured.</summary>
internal sealed record CompressionRow(string Name, string Slug, string Folder, CompressionApplied Compression, long[][] FloatConfusion, long[][] IntegerConfusion,
    long AgreeingEpochs, long Epochs, long Parameters, long IntegerBytes, long FloatBytes, long PackedIntegerBytes, long MacsPerEpoch);

/// <summary>A fold's compression study (<see cref="CompressVerb.ResultFile"/>).</summary>
internal sealed record CompressionResult(string Model, IReadOnlyList<string> TestSubjects, FineTuneOptions FineTune, IReadOnlyList<CompressionRow> Rows);
