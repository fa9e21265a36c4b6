using SleepScoring.Training.Metrics;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>
/// The training loop, independent of what the samples are: seeded shuffling, class-weighted
/// cross-entropy, AdamW (<see cref="AdamWOptimizer"/>) with a one-cycle learning rate, gradient clipping, validation after each
/// pass, early stopping on validation macro-F1 (then κ), a checkpoint per pass that a later run
/// resumes from exactly, and a progress bar. At the end the model holds the best pass's weights.
/// </summary>
public sealed class SupervisedTrainer
{
    /// <summary>Target value that is never counted (padding, unscored epochs).</summary>
    public const long IgnoreTarget = -100;

    private const string BestFile = "best.bin";

    // Static, so never finalized while a native call reads it (see TorchScalars).
    private static readonly Scalar IgnoreScalar = IgnoreTarget.ToScalar();
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly ITrainingSource source;
    private readonly TrainerOptions options;
    private readonly List<double> stepLosses = [];
    private readonly List<PassRecord> passes = [];
    private TorchSharp.Modules.Parameter[] parameters = [];

    /// <summary>Prepares a run of <paramref name="model"/> on <paramref name="source"/>.</summary>
    public SupervisedTrainer(nn.Module<Tensor, Tensor> model, ITrainingSource source, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Passes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        if (source.TrainingCount == 0)
        {
            throw new ArgumentException("The training source holds no samples.", nameof(source));
        }

        this.model = model;
        this.source = source;
        this.options = options;
    }

    /// <summary>Loss of every optimisation step run by this instance, in order.</summary>
    public IReadOnlyList<double> StepLosses => stepLosses;

    /// <summary>One record per pass run by this instance.</summary>
    public IReadOnlyList<PassRecord> Passes => passes;

    /// <summary>
    /// Trains until <see cref="TrainerOptions.Passes"/> or early stopping, resuming from the
    /// checkpoint folder when it holds one. <paramref name="stopAfterPasses"/> ends the run early
    /// after that many passes of this call (an interruption, for tests and time-boxed runs).
    /// </summary>
    public EarlyStopping Run(int? stopAfterPasses = null)
    {
        int stepsPerPass = (source.TrainingCount + options.BatchSize - 1) / options.BatchSize;
        var schedule = new LearningRateSchedule(options.LearningRate, stepsPerPass * options.Passes, options.WarmupFraction);
        parameters = [.. model.parameters()];
        using var optimizer = new AdamWOptimizer(parameters, options.LearningRate, options.WeightDecay);
        using Tensor weights = tensor(ClassWeights.For(options.ClassWeighting, source.TrainingStageCounts()));
        var shuffle = new SeededRandom(options.Seed);
        var stopping = new EarlyStopping(options.Patience);
        Dictionary<string, Tensor> best = Snapshot();
        int firstPass = 0, step = 0;
        string? directory = options.CheckpointDirectory;
        if (directory is not null && Checkpoint.Exists(directory))
        {
            Checkpoint saved = Checkpoint.Load(directory, model, optimizer);
            (firstPass, step, shuffle.State) = (saved.NextPass, saved.Step, saved.ShuffleState);
            stopping.Restore(saved.BestMacroF1, saved.BestKappa, saved.BestPass, saved.Stale);
            best = LoadBest(directory) ?? Snapshot();
        }

        int lastPass = stopAfterPasses is int limit ? Math.Min(options.Passes, firstPass + limit) : options.Passes;
        var bar = options.ProgressLabel is null ? null : new ProgressBar(options.ProgressLabel, (long)stepsPerPass * Math.Max(1, lastPass - firstPass), options.ProgressWriter);
        int[] order = Enumerable.Range(0, source.TrainingCount).ToArray();
        for (int pass = firstPass; pass < lastPass && !stopping.ShouldStop; pass++)
        {
            Array.Sort(order);
            shuffle.Shuffle(order.AsSpan());
            source.BeginPass(pass);
            (double loss, double accuracy) = RunPass(optimizer, weights, schedule, order, ref step, bar, (long)stepsPerPass * (pass - firstPass));
            StagingMetrics validation = Validate();
            if (stopping.Report(pass, validation.MacroF1, validation.Kappa))
            {
                DisposeAll(best);
                best = Snapshot();
                if (directory is not null)
                {
                    Directory.CreateDirectory(directory);
                    model.save(Path.Combine(directory, BestFile));
                }
            }

            passes.Add(new PassRecord(pass, loss, accuracy, validation));
            new Checkpoint
            {
                NextPass = pass + 1,
                Step = step,
                ShuffleState = shuffle.State,
                BestMacroF1 = stopping.BestMacroF1,
                BestKappa = stopping.BestKappa,
                BestPass = stopping.BestPass,
                Stale = stopping.Stale,
            }.SaveIfWanted(directory, model, optimizer);
        }

        bar?.Complete();
        Restore(best);
        DisposeAll(best);
        return stopping;
    }

    private (double Loss, double Accuracy) RunPass(AdamWOptimizer optimizer, Tensor weights, LearningRateSchedule schedule, int[] order, ref int step, ProgressBar? bar, long barOffset)
    {
        model.train();
        double lossSum = 0;
        long correct = 0, counted = 0;
        int batches = 0;
        for (int start = 0; start < order.Length; start += options.BatchSize, step++, batches++)
        {
            optimizer.LearningRate = schedule.At(step);

            double value = ForwardBackward(order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)), weights, ref correct, ref counted);
            optimizer.Step();
            stepLosses.Add(value);
            lossSum += value;
            bar?.Report(barOffset + batches + 1, lossSum / (batches + 1), counted == 0 ? 0 : (double)correct / counted);
        }

        return (lossSum / Math.Max(1, batches), counted == 0 ? 0 : (double)correct / counted);
    }

    private double ForwardBackward(ReadOnlySpan<int> indices, Tensor weights, ref long correct, ref long counted)
    {
        using var scope = NewDisposeScope();
        (Tensor input, Tensor target) = source.TrainingBatch(indices);
        model.zero_grad();
        Tensor logits = model.forward(input);
        Tensor flatLogits = logits.reshape(-1, logits.shape[^1]);
        Tensor flatTarget = target.reshape(-1);
        Tensor loss = nn.functional.cross_entropy(flatLogits, flatTarget, weights, ignore_index: IgnoreTarget);
        loss.backward();
        nn.utils.clip_grad_norm_(parameters, 1.0);
        using (no_grad())
        {
            Tensor valid = flatTarget.ne(IgnoreScalar);
            correct += flatLogits.argmax(1).eq(flatTarget).logical_and(valid).sum().item<long>();
            counted += valid.sum().item<long>();
        }

        return loss.item<float>();
    }

    private StagingMetrics Validate()
    {
        model.eval();
        // Every temporary of validation is freed here, on this thread: tensors left to the
        // finalizer are freed concurrently with training, which corrupted TorchSharp's state.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return StagingMetrics.From(source.Validate(model));
    }

    private Dictionary<string, Tensor> Snapshot()
    {
        using var noGrad = no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
    }

    private void Restore(Dictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach ((string name, Tensor value) in model.state_dict())
        {
            value.copy_(state[name]);
        }
    }

    private Dictionary<string, Tensor>? LoadBest(string directory)
    {
        string path = Path.Combine(directory, BestFile);
        if (!File.Exists(path))
        {
            return null;
        }

        Dictionary<string, Tensor> current = Snapshot();
        model.load(path);
        Dictionary<string, Tensor> best = Snapshot();
        Restore(current);
        DisposeAll(current);
        return best;
    }

    private static void DisposeAll(Dictionary<string, Tensor> state)
    {
        foreach (Tensor t in state.Values)
        {
            t.Dispose();
        }
    }
}

/// <summary>Training loss and accuracy of one pass and the validation metrics after it.</summary>
public sealed record PassRecord(int Pass, double TrainingLoss, double TrainingAccuracy, StagingMetrics Validation);
