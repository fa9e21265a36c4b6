using SleepScoring.Training.Adaptation;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Tests.Models;
using SleepScoring.Training.Tests.Training;
using SleepScoring.Training.Training;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Adaptation;

public sealed class TestTimeAdaptationTests
{
    [Fact]
    public void Only_normalisation_changes_and_the_site_entropy_falls()
    {
        (EpochClassifier classifier, InterEpochTransformer sequence, EpochDataset site) = Trained(seed: 21);
        using (classifier)
        using (sequence)
        {
            Dictionary<string, Tensor> before = Snapshot(classifier, sequence);

            AdaptationReport report = TestTimeAdaptation.Run(classifier, sequence, site, new AdaptationOptions { Passes = 2, BatchSize = 16, LearningRate = 1e-2, ResetEntropy = 0, ReliableEntropyShare = 1.01 });

            Dictionary<string, Tensor> after = Snapshot(classifier, sequence);
            string[] changed = [.. before.Keys.Where(k => !before[k].allclose(after[k], rtol: 0, atol: 0))];
            Assert.NotEmpty(changed);
            // LayerNorm scales and shifts, and the stem BatchNorm's running statistics — nothing else.
            Assert.All(changed, k => Assert.True(k.Contains("norm", StringComparison.OrdinalIgnoreCase) || k.Contains("running", StringComparison.Ordinal), k));
            Assert.True(report.EncoderUpdates > 0 && report.SequenceUpdates > 0, $"{report.EncoderUpdates} encoder, {report.SequenceUpdates} sequence updates");
            Assert.True(report.EntropyAfter < report.EntropyBefore, $"entropy {report.EntropyBefore:F4} → {report.EntropyAfter:F4}");
            Assert.Equal(0, report.Resets);
            Assert.InRange(report.ReliableShare, 0.01, 1);
        }
    }

    [Fact]
    public void A_collapse_guard_above_any_entropy_resets_every_update()
    {
        (EpochClassifier classifier, InterEpochTransformer sequence, EpochDataset site) = Trained(seed: 22);
        using (classifier)
        using (sequence)
        {
            Tensor[] norms = [.. TestTimeAdaptation.LayerNormParameters(classifier).Select(p => p.detach().clone())];

            AdaptationReport report = TestTimeAdaptation.Run(classifier, sequence, site, new AdaptationOptions { Passes = 1, BatchSize = 16, LearningRate = 1e-2, ResetEntropy = 100, BatchNormStatistics = false, Sequence = false });

            Assert.Equal(report.EncoderUpdates, report.Resets);
            Assert.All(TestTimeAdaptation.LayerNormParameters(classifier).Zip(norms), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0)));
        }
    }

    /// <summary>A small pair briefly trained on stripe nights, and a "site": other stripe nights, brightened.</summary>
    private static (EpochClassifier, InterEpochTransformer, EpochDataset) Trained(int seed)
    {
        TorchRuntime.Configure(threads: 1, seed: seed);
        ModelOptions options = ModelTests.SmallOptions();
        var classifier = new EpochClassifier(options);
        var sequence = new InterEpochTransformer(options);
        EpochDataset training = StripeNights.Dataset(2, 40, options.ImageHeight, options.ImageWidth, seed);
        new SupervisedTrainer(classifier, new EncoderStageSource(training, training), new TrainerOptions { Passes = 2, BatchSize = 16, LearningRate = 3e-3, ProgressLabel = null }).Run();
        NightImages night = StripeNights.Night("site", 1, 48, options.ImageHeight, options.ImageWidth, seed + 100);
        byte[] pixels = new byte[night.Count * night.Height * night.Width];
        for (int p = 0; p < night.Count; p++)
        {
            ReadOnlySpan<byte> image = night.Image(p);
            for (int i = 0; i < image.Length; i++)
            {
                pixels[(p * image.Length) + i] = (byte)Math.Min(255, image[i] + 40);
            }
        }

        var site = new NightImages("site", 1, night.Height, night.Width, pixels, night.Stages.ToArray(), night.EpochIndices.ToArray());
        return (classifier, sequence, new EpochDataset([site]));
    }

    private static Dictionary<string, Tensor> Snapshot(EpochClassifier classifier, InterEpochTransformer sequence) =>
        classifier.state_dict().Select(p => ("encoder." + p.Key, p.Value.detach().clone()))
            .Concat(sequence.state_dict().Select(p => ("sequence." + p.Key, p.Value.detach().clone())))
            .ToDictionary(p => p.Item1, p => p.Item2);
}
