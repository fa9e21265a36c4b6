using System.Diagnostics;

using SleepScoring.Training.Models;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>Milliseconds per batch of one training step (forward, backward, AdamW) and of inference.</summary>
public sealed record StepCost(ModelOptions Options, int BatchSize, long Parameters, double TrainMsPerBatch, double InferenceMsPerBatch)
{
    /// <summary>Training milliseconds per epoch image.</summary>
    public double TrainMsPerEpoch => TrainMsPerBatch / BatchSize;

    /// <summary>Inference milliseconds per epoch image.</summary>
    public double InferenceMsPerEpoch => InferenceMsPerBatch / BatchSize;
}

/// <summary>
/// Measures the encoder's step cost for a geometry on random images, so a training run can be
/// budgeted (a `bench` verb prints it; tests never assert times). Two warm-up steps, then the
/// mean of <c>repeats</c> steps, wall clock, at the current torch thread setting.
/// </summary>
public static class StepTiming
{
    /// <summary>Times <see cref="EpochClassifier"/> training and inference for <paramref name="options"/>.</summary>
    public static StepCost Measure(ModelOptions options, int batchSize = 64, int repeats = 5)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        using var model = new EpochClassifier(options);
        using var sequence = new InterEpochTransformer(options);
        long parameters = model.parameters().Sum(p => p.numel()) + sequence.parameters().Sum(p => p.numel());
        using var optimizer = new AdamWOptimizer(model.parameters(), 1e-3, 0.05);
        using Tensor images = randint(0, 256, [batchSize, options.ImageHeight, options.ImageWidth], ScalarType.Byte);
        using Tensor targets = randint(0, options.Classes, [batchSize], ScalarType.Int64);

        model.train();
        void TrainStep()
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            nn.functional.cross_entropy(model.forward(images), targets).backward();
            optimizer.Step();
        }

        TrainStep();
        TrainStep();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++)
        {
            TrainStep();
        }

        double trainMs = clock.Elapsed.TotalMilliseconds / repeats;
        model.eval();
        using (no_grad())
        {
            clock.Restart();
            for (int i = 0; i < repeats; i++)
            {
                using var scope = NewDisposeScope();
                model.forward(images);
            }
        }

        return new StepCost(options, batchSize, parameters, trainMs, clock.Elapsed.TotalMilliseconds / repeats);
    }
}
