using System.Globalization;
using System.Text.Json;

using SleepScoring.CommandLine;
using SleepScoring.Inference.Model;
using SleepScoring.Model;
using SleepScoring.Training.Adaptation;
using SleepScoring.Training.Data;
using SleepScoring.Training.Export;
using SleepScoring.Training.Training;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// <c>adapt</c>: test-time adaptation of a trained model folder to a site's unscored studies
/// (<see cref="TestTimeAdaptation"/>: stem BatchNorm statistics, then TENT on the LayerNorms with
/// SAR's safeguards), then the same packaging as <c>train</c> — integer graphs calibrated on the
/// site's images, the softmax temperature and review threshold fitted on the source model's
/// validation subject (labelled, from the training data folder) — and a card that records the adaptation.
/// </summary>
internal sealed class AdaptVerb : IVerb
{
    public string Name => "adapt";

    public string Arguments => "--model <dir> --data <folder of unscored studies> --out <dir> [--training-data <dir>] [--passes N] [--learning-rate R] [--no-batchnorm] [--no-sequence] [--model-version V] [--threads N]";

    public string Summary => "test-time adaptation (TENT/SAR) of a trained model to a site's unscored studies, packaged like train";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--data", "--out", "--training-data", "--passes", "--learning-rate", "--model-version", "--threads"], ["--no-batchnorm", "--no-sequence"]);
        string modelDirectory = options.Required("--model"), site = options.Required("--data"), outDirectory = options.Required("--out");
        int threads = options.PositiveOr("--threads", Environment.ProcessorCount);
        var adaptation = new AdaptationOptions
        {
            Passes = (int)Math.Min(options.UnsignedOr("--passes", (ulong)new AdaptationOptions().Passes), 100),
            LearningRate = LearningRate(options.Optional("--learning-rate")),
            BatchNormStatistics = !options.Has("--no-batchnorm"),
            Sequence = !options.Has("--no-sequence"),
        };
        TorchRuntime.Configure(threads);
        (var classifier, var sequence, TrainingRecord record) = FloatModelDirectory.Load(modelDirectory);
        using (classifier)
        using (sequence)
        {
            NightImageOptions imageOptions = NightImageOptions.From(record.Image, wholeRecording: false, threads);
            var notes = new List<string>();
            EpochDataset siteNights = SiteNights.Load(site, imageOptions, classifier.Encoder, sequence, notes);
            notes.ForEach(n => Console.Error.WriteLine(n));
            EpochDataset validation = ValidationNights(options.Optional("--training-data") ?? record.DataFolder, record, imageOptions);
            AdaptationReport report = TestTimeAdaptation.Run(classifier, sequence, siteNights, adaptation);
            string command = "sleepscore adapt " + string.Join(' ', args);
            Package(outDirectory, classifier, sequence, record with { Command = command }, siteNights, validation, options.Optional("--model-version") ?? TrainVerb.VersionOf(modelDirectory),
                new { Method = "stem BatchNorm statistics, then TENT on LayerNorm scales and shifts with SAR's reliable-sample filter, sharpness-aware steps and collapse reset", Source = Path.GetFullPath(modelDirectory), Site = Path.GetFullPath(site), Command = command, Options = adaptation, Report = report });
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"adapted on {report.Epochs} epochs: {report.EncoderUpdates} encoder and {report.SequenceUpdates} sequence updates, {report.Resets} reset(s), {report.ReliableShare:P0} reliable; entropy {report.EntropyBefore:F3} → {report.EntropyAfter:F3} nats"));
            output.WriteLine(Path.Combine(Path.GetFullPath(outDirectory), ModelCard.FileName));
        }

        return VerbDispatcher.Success;
    }

    /// <summary>Writes the adapted pair as a complete model folder whose card carries <paramref name="adaptation"/>.</summary>
    internal static void Package(string directory, Training.Models.EpochClassifier classifier, Training.Models.InterEpochTransformer sequence, TrainingRecord record, EpochDataset site, EpochDataset validation, string version, object adaptation)
    {
        Directory.CreateDirectory(directory);
        var result = new TwoStageResult(classifier, sequence, record.EncoderPasses, record.SequencePasses);
        ModelFolderExport.Write(directory, result, record, site, validation, version);
        ModelPackage.SetDetail(directory, "adaptation", adaptation);
    }

    /// <summary>The source model's validation subject's nights, for the temperature and the review threshold.</summary>
    internal static EpochDataset ValidationNights(string data, TrainingRecord record, NightImageOptions options)
    {
        IReadOnlyList<LoadedNight> nights = TrainingFolder.Load(data, options, TextWriter.Null);
        var all = new EpochDataset(nights.Select(n => n.Images), sleepPeriodOnly: true);
        return record.ValidationSubjects.All(s => all.Subjects.Contains(s, StringComparer.Ordinal))
            ? all.ForSubjects(record.ValidationSubjects)
            : throw new TrainingDataException($"'{data}' has no night of validation subject(s) {string.Join(", ", record.ValidationSubjects)}, which the calibration of the adapted model needs; give --training-data.");
    }

    private static double LearningRate(string? text) =>
        text is null ? new AdaptationOptions().LearningRate
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value is > 0 and < 1 ? value
        : throw new UsageException($"--learning-rate '{text}' is not a number in (0, 1).");
}
