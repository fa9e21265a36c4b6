using SleepScoring.Analysis;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Tests.Models;
using SleepScoring.Training.Training;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Training;

public sealed class EmbeddingWindowsTests
{
    [Fact]
    public void Gather_NightStart_PadsWithZerosAndIgnoredTargets()
    {
        TorchRuntime.Configure(threads: 1, seed: 4);
        ModelOptions options = ModelTests.SmallOptions() with { Window = 5 };
        EpochDataset dataset = StripeNights.Dataset(1, 6, options.ImageHeight, options.ImageWidth, 3);
        using var encoder = new EpochEncoder(options);
        using var windows = new EmbeddingWindows(encoder, dataset, options.Window);

        (Tensor input, Tensor target) = windows.Gather([new EpochRef(0, 0)]);

        Assert.Equal(new long[] { 1, 5, options.Dim }, input.shape);
        long[] targets = target.data<long>().ToArray();
        ReadOnlySpan<SleepStage> stages = dataset.Nights[0].Stages;
        // Window −2..+2 around epoch 0: two pads, then epochs 0, 1, 2.
        Assert.Equal([SupervisedTrainer.IgnoreTarget, SupervisedTrainer.IgnoreTarget, (long)stages[0], (long)stages[1], (long)stages[2]], targets);
        Assert.Equal(0, input[0, 0].abs().sum().item<float>());
        Assert.NotEqual(0, input[0, 2].abs().sum().item<float>());
        input.Dispose();
        target.Dispose();
    }

    [Fact]
    public void SequenceStage_TrainsOnFrozenStripeEmbeddings()
    {
        TorchRuntime.Configure(threads: 1, seed: 6);
        ModelOptions options = ModelTests.SmallOptions();
        using var encoder = new EpochEncoder(options);
        using var train = new EmbeddingWindows(encoder, StripeNights.Dataset(2, 30, options.ImageHeight, options.ImageWidth, 40), options.Window);
        using var validation = new EmbeddingWindows(encoder, StripeNights.Dataset(1, 20, options.ImageHeight, options.ImageWidth, 80), options.Window);
        using var model = new InterEpochTransformer(options);
        var trainer = new SupervisedTrainer(model, new SequenceStageSource(train, validation), new TrainerOptions { Passes = 6, BatchSize = 16, LearningRate = 3e-3, ProgressLabel = null, Patience = 6 });

        trainer.Run();

        Assert.True(trainer.Passes[^1].TrainingLoss < trainer.Passes[0].TrainingLoss, $"{trainer.Passes[0].TrainingLoss:F3} → {trainer.Passes[^1].TrainingLoss:F3}");
        Assert.Equal(20, trainer.Passes[^1].Validation.Epochs);
    }
}