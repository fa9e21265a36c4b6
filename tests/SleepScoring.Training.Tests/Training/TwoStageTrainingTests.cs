using SleepScoring.Analysis;
using SleepScoring.Training.Data;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Models;
using SleepScoring.Training.Tests.Models;
using SleepScoring.Training.Training;

namespace SleepScoring.Training.Tests.Training;

public sealed class TwoStageTrainingTests
{
    public TwoStageTrainingTests() => TorchRuntime.Configure(threads: 1);

    [Fact]
    public void Run_StripeNights_ScoresWholeNightsWellAboveChance()
    {
        ModelOptions model = ModelTests.SmallOptions();
        EpochDataset train = StripeNights.Dataset(2, 40, model.ImageHeight, model.ImageWidth, 11);
        EpochDataset validation = StripeNights.Dataset(1, 30, model.ImageHeight, model.ImageWidth, 77);
        var options = new TwoStageOptions
        {
            Model = model,
            Encoder = new TrainerOptions { Passes = 8, BatchSize = 8, LearningRate = 3e-3, Patience = 8, ProgressLabel = null },
            Sequence = new TrainerOptions { Passes = 4, BatchSize = 16, LearningRate = 3e-3, Patience = 4, ProgressLabel = null },
            Seed = 5,
        };

        TwoStageResult result = TwoStageTraining.Run(train, validation, options);
        using (result.Classifier)
        using (result.Sequence)
        {
            float[,] probabilities = NightScorer.Probabilities(result.Classifier.Encoder, result.Sequence, validation.Nights[0]);
            Assert.Equal(30, probabilities.GetLength(0));
            for (int p = 0; p < 30; p++)
            {
                float sum = 0;
                for (int c = 0; c < 5; c++)
                {
                    sum += probabilities[p, c];
                }

                Assert.Equal(1f, sum, 4);
            }

            StagingMetrics metrics = StagingMetrics.From(NightScorer.Evaluate(result.Classifier.Encoder, result.Sequence, validation, sleepPeriodOnly: false));
            Assert.Equal(30, metrics.Epochs);
            // Stripe frequency shows the stage; chance is about 20 %.
            Assert.True(metrics.Accuracy > 0.5, $"accuracy {metrics.Accuracy:F2}");
        }
    }

    [Fact]
    public void Evaluate_UnscoredEpochs_AreNeverCounted()
    {
        TorchRuntime.Configure(threads: 1, seed: 2);
        ModelOptions model = ModelTests.SmallOptions();
        NightImages stripes = StripeNights.Night("S9", 1, 12, model.ImageHeight, model.ImageWidth, 5);
        SleepStage[] stages = stripes.Stages.ToArray();
        stages[3] = SleepStage.Unscored;
        stages[7] = SleepStage.Artefact;
        byte[] pixels = Enumerable.Range(0, 12).SelectMany(p => stripes.Image(p).ToArray()).ToArray();
        var night = new NightImages("S9", 1, model.ImageHeight, model.ImageWidth, pixels, stages, Enumerable.Range(0, 12).ToArray());
        using var encoder = new EpochEncoder(model);
        using var sequence = new InterEpochTransformer(model);

        ConfusionMatrix matrix = NightScorer.Evaluate(encoder, sequence, new EpochDataset([night]), sleepPeriodOnly: false);

        Assert.Equal(10, matrix.Total);
    }
}