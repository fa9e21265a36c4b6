using SleepScoring.Training.Metrics;
using SleepScoring.Training.Training;

using TorchSharp;

namespace SleepScoring.Training.Baseline;

/// <summary>Settings of <see cref="FeatureBaseline.CrossValidate"/>.</summary>
public sealed record FeatureBaselineOptions
{
    /// <summary>Test folds as subject ids; default SC400–SC407 in pairs {0,1},{2,3},{4,5},{6,7}.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Folds { get; init; } =
        [["SC400", "SC401"], ["SC402", "SC403"], ["SC404", "SC405"], ["SC406", "SC407"]];

    /// <summary>Epochs of context on each side (±5 → 11 epochs × 14 features).</summary>
    public int Context { get; init; } = 5;

    /// <summary>Hidden units of the MLP.</summary>
    public int HiddenUnits { get; init; } = 256;

    /// <summary>Dropout after the hidden layer.</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Subjects of the training folds held out for early stopping.</summary>
    public int ValidationSubjects { get; init; } = 1;

    /// <summary>
    /// A derivation (<see cref="FeatureNight.Derivations"/>) whose features are silenced in every
    /// night, training and test alike, so the baseline measures what the other one holds alone; null: both.
    /// </summary>
    public string? SilentDerivation { get; init; }

    /// <summary>Features silenced in both derivations (names or parts of names of <see cref="FeatureNight.FeatureNames"/>); none when empty.</summary>
    public IReadOnlyList<string> SilentFeatures { get; init; } = [];

    /// <summary>Seed of initialisation, shuffling and the validation pick.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Training loop settings (the checkpoint folder is not used). Unweighted loss: on these
    /// folds it beat balanced and square-root weights on accuracy, κ and macro-F1 alike (README).
    /// </summary>
    public TrainerOptions Trainer { get; init; } = new() { Passes = 30, BatchSize = 256, LearningRate = 2e-3, WeightDecay = 0.05, Patience = 6, ClassWeighting = ClassWeighting.None };
}

/// <summary>Pooled and per-fold test metrics of the feature baseline.</summary>
public sealed record FeatureBaselineResult(StagingMetrics Pooled, IReadOnlyList<StagingMetrics> Folds);

/// <summary>
/// "What the spectra hold": an MLP on the 14 real features per epoch with ±k epochs of context,
/// cross-validated by subject. For each fold the other subjects train (one of them validates for
/// early stopping); features are standardised on the training subjects only; only the sleep
/// period ± 30 min of wake is trained on and counted. Test confusions are pooled over folds.
/// </summary>
public static class FeatureBaseline
{
    /// <summary>Runs the cross-validation on the CSVs in <paramref name="featuresDirectory"/>.</summary>
    public static FeatureBaselineResult CrossValidate(string featuresDirectory, FeatureBaselineOptions options, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(featuresDirectory))
        {
            throw new DirectoryNotFoundException($"Feature folder '{featuresDirectory}' does not exist.");
        }

        FeatureNight[] nights = Directory.GetFiles(featuresDirectory, "*.csv").Order(StringComparer.Ordinal).Select(FeatureNight.Read).ToArray();
        return CrossValidate(nights, options, log);
    }

    /// <summary>Runs the cross-validation on nights already read.</summary>
    public static FeatureBaselineResult CrossValidate(IReadOnlyList<FeatureNight> nights, FeatureBaselineOptions options, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(nights);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SilentDerivation is string silent)
        {
            nights = [.. nights.Select(n => n.WithSilent(silent))];
        }

        if (options.SilentFeatures.Count > 0)
        {
            nights = [.. nights.Select(n => n.WithSilentFeatures(options.SilentFeatures))];
        }

        var pooled = new ConfusionMatrix();
        var folds = new List<StagingMetrics>();
        for (int fold = 0; fold < options.Folds.Count; fold++)
        {
            var testSubjects = new HashSet<string>(options.Folds[fold], StringComparer.Ordinal);
            FeatureNight[] test = nights.Where(n => testSubjects.Contains(n.SubjectId)).ToArray();
            FeatureNight[] rest = nights.Where(n => !testSubjects.Contains(n.SubjectId)).ToArray();
            if (test.Length == 0 || rest.Length == 0)
            {
                throw new ArgumentException($"Fold {fold} ({string.Join(",", testSubjects)}) has no test nights or no training nights.", nameof(options));
            }

            ulong seed = options.Seed + (ulong)fold;
            (IReadOnlyList<string> trainSubjects, IReadOnlyList<string> validationSubjects) = SubjectSplit.Split(rest.Select(n => n.SubjectId), options.ValidationSubjects, seed);
            FeatureNight[] train = rest.Where(n => trainSubjects.Contains(n.SubjectId)).ToArray();
            FeatureNight[] validation = rest.Where(n => validationSubjects.Contains(n.SubjectId)).ToArray();
            (float[] mean, float[] std) = ContextSamples.Standardiser(train);
            var source = new FeatureSource(
                ContextSamples.Build(train, options.Context, mean, std),
                ContextSamples.Build(validation, options.Context, mean, std));
            ContextSamples testSamples = ContextSamples.Build(test, options.Context, mean, std);

            torch.manual_seed((long)seed);
            using var model = new FeatureMlp(testSamples.Width, options.HiddenUnits, options.Dropout);
            var trainer = new SupervisedTrainer(model, source, options.Trainer with { Seed = seed, CheckpointDirectory = null, ProgressLabel = options.Trainer.ProgressLabel is null ? null : $"fold {fold}" });
            EarlyStopping stopping = trainer.Run();
            ConfusionMatrix matrix = FeatureSource.Score(model, testSamples);
            StagingMetrics metrics = StagingMetrics.From(matrix);
            folds.Add(metrics);
            pooled.Add(matrix);
            log?.WriteLine($"fold {fold}: test {string.Join(",", testSubjects)} validation {string.Join(",", validationSubjects)} best pass {stopping.BestPass} → accuracy {metrics.Accuracy:P1} κ {metrics.Kappa:F3} MF1 {metrics.MacroF1:F3} ({metrics.Epochs} epochs)");
        }

        return new FeatureBaselineResult(StagingMetrics.From(pooled), folds);
    }
}
