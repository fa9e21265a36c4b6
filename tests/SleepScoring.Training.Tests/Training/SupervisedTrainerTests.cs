using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Tests.Models;
using SleepScoring.Training.Training;

namespace SleepScoring.Training.Tests.Training;

public sealed class SupervisedTrainerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("trainer-").FullName;

    public SupervisedTrainerTests() => TorchRuntime.Configure(threads: 1);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Run_StripeImages_LossFallsAndValidationBeatsChance()
    {
        ModelOptions model = ModelTests.SmallOptions();
        var source = new EncoderStageSource(StripeNights.Dataset(2, 40, model.ImageHeight, model.ImageWidth, 10), StripeNights.Dataset(1, 40, model.ImageHeight, model.ImageWidth, 90));
        TorchRuntime.Configure(threads: 1, seed: 5);
        using var classifier = new EpochClassifier(model);
        var trainer = new SupervisedTrainer(classifier, source, Options(passes: 8, patience: 8));

        trainer.Run();

        double first = trainer.Passes[0].TrainingLoss, last = trainer.Passes[^1].TrainingLoss;
        Assert.True(last < 0.6 * first, $"Training loss went from {first:F3} to {last:F3}.");
        // Five balanced-ish classes: chance is about 20 %.
        Assert.True(trainer.Passes.Max(p => p.Validation.Accuracy) > 0.5, string.Join(", ", trainer.Passes.Select(p => p.Validation.Accuracy.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // time reversal and shift drawn per (pass, sample): a resumed run draws the same
    public void Run_ResumedFromCheckpoint_ContinuesExactlyLikeAnUninterruptedRun(bool augmented)
    {
        ModelOptions model = ModelTests.SmallOptions();
        var source = new EncoderStageSource(StripeNights.Dataset(2, 12, model.ImageHeight, model.ImageWidth, 20), StripeNights.Dataset(1, 10, model.ImageHeight, model.ImageWidth, 70), augmentation: augmented ? new TimeAugmentation(7, 3) : null);
        string interrupted = Path.Combine(directory, "a"), copy = Path.Combine(directory, "b");

        // Uninterrupted reference: 3 passes in one go.
        TorchRuntime.Configure(threads: 1, seed: 9);
        using var reference = new EpochClassifier(model);
        var whole = new SupervisedTrainer(reference, source, Options(passes: 3, patience: 10));
        whole.Run();

        // Same start, stopped after one pass (checkpoint written), then resumed by a new model.
        TorchRuntime.Configure(threads: 1, seed: 9);
        using (var first = new EpochClassifier(model))
        {
            new SupervisedTrainer(first, source, Options(passes: 3, patience: 10, interrupted)).Run(stopAfterPasses: 1);
        }

        CopyDirectory(interrupted, copy);
        TorchRuntime.Configure(threads: 1, seed: 1234); // a different initialisation: the checkpoint must override it
        using var resumed = new EpochClassifier(model);
        var second = new SupervisedTrainer(resumed, source, Options(passes: 3, patience: 10, copy));
        second.Run();

        int stepsPerPass = whole.StepLosses.Count / 3;
        Assert.Equal(2 * stepsPerPass, second.StepLosses.Count);
        Assert.Equal(whole.StepLosses.Skip(stepsPerPass), second.StepLosses);
    }

    private static TrainerOptions Options(int passes, int patience, string? checkpoints = null) => new()
    {
        Passes = passes,
        BatchSize = 8,
        LearningRate = 3e-3,
        WeightDecay = 0.01,
        Patience = patience,
        Seed = 42,
        CheckpointDirectory = checkpoints,
        ProgressLabel = null,
    };

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
