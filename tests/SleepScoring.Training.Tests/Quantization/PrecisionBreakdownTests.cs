using SleepScoring.Analysis;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;
using SleepScoring.Training.Training;

using TorchSharp;

namespace SleepScoring.Training.Tests.Quantization;

public sealed class PrecisionBreakdownTests
{
    private static readonly ModelOptions Small = TestEpochImages.SmallModel;

    [Fact]
    public void The_all_integer_path_agrees_as_often_as_the_two_models_stages_do()
    {
        torch.set_num_threads(1);
        torch.manual_seed(4);
        using var encoder = new EpochEncoder(Small);
        using var sequence = new InterEpochTransformer(Small);
        const int epochs = 60;
        using TorchSharp.torch.Tensor images = TestEpochImages.Create(Small, epochs, seed: 2);
        SleepStage[] stages = [.. Enumerable.Range(0, epochs).Select(i => (SleepStage)(i % 5))];
        var night = new NightImages("00", 1, Small.ImageHeight, Small.ImageWidth, images.data<byte>().ToArray(), stages, [.. Enumerable.Range(0, epochs)]);
        var data = new EpochDataset([night]);
        IntegerStagingModel integer = IntegerStagingModel.Quantize(encoder, sequence, data);

        IReadOnlyList<(string Path, double Agreement)> breakdown = PrecisionBreakdown.Run(encoder, sequence, integer, [night]);

        // The last path is the whole integer model: count its agreement directly from both models' outputs.
        float[,] reference = NightScorer.Probabilities(encoder, sequence, night);
        float[,] quantized = integer.Probabilities(night);
        int[] counted = [.. NightScorer.CountedPositions(night, sleepPeriodOnly: true)];
        double same = counted.Count(p => ArgMax(reference, p) == ArgMax(quantized, p));
        Assert.Equal(4, breakdown.Count);
        Assert.Equal(same / counted.Length, breakdown[^1].Agreement, 12);
        Assert.All(breakdown, b => Assert.InRange(b.Agreement, 0, 1));
    }

    [Fact]
    public void Rounded_embeddings_lie_within_half_a_step_of_the_float_ones()
    {
        torch.set_num_threads(1);
        torch.manual_seed(6);
        using var encoder = new EpochEncoder(Small);
        encoder.eval();
        const int epochs = 20;
        using TorchSharp.torch.Tensor images = TestEpochImages.Create(Small, epochs, seed: 3);
        var night = new NightImages("00", 1, Small.ImageHeight, Small.ImageWidth, images.data<byte>().ToArray(), [.. Enumerable.Repeat(SleepStage.N2, epochs)], [.. Enumerable.Range(0, epochs)]);
        const double scale = 0.05;

        byte[] rounded = PrecisionBreakdown.Rounded(encoder, night, scale);

        using (TorchSharp.torch.no_grad())
        {
            float[] exact = encoder.forward(images).data<float>().ToArray();
            Assert.Equal(exact.Length, rounded.Length);
            for (int i = 0; i < exact.Length; i++)
            {
                // uint8 with zero point 128 at 0.05 per step: −6.4 … 6.35 is representable; beyond, the edge.
                double expected = Math.Clamp(exact[i], -128 * scale, 127 * scale);
                Assert.InRange(((rounded[i] - 128) * scale) - expected, -(scale / 2) - 1e-6, (scale / 2) + 1e-6);
            }
        }
    }

    private static int ArgMax(float[,] probabilities, int row)
    {
        int best = 0;
        for (int c = 1; c < probabilities.GetLength(1); c++)
        {
            best = probabilities[row, c] > probabilities[row, best] ? c : best;
        }

        return best;
    }
}
