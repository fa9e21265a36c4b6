using SleepScoring.Onnx;
using SleepScoring.Training.Compression;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;
using SleepScoring.Training.Tests.Quantization;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Compression;

/// <summary>
/// Structured pruning: the units it keeps, and that the smaller model computes exactly what the
/// original computes with the removed units zeroed — then exports bit-exact integer graphs.
/// </summary>
public sealed class StructuredPruningTests
{
    // Four heads of width 8 and 16 MLP channels per layer, so 25 % and 50 % remove whole units.
    private static readonly ModelOptions Model = TestEpochImages.SmallModel with { Heads = 4, MlpDim = 16, SequenceLayers = 2, Window = 5 };

    [Fact]
    public void Keep_takes_the_most_important_units_in_their_original_order()
    {
        Assert.Equal([1, 3], StructuredPruning.Keep([0.1, 5.0, 0.2, 3.0], 2));
        // A tie keeps the lower index.
        Assert.Equal([0, 2], StructuredPruning.Keep([2.0, 1.0, 2.0, 2.0], 2));
    }

    [Theory]
    [InlineData(4, 0.25, 3)]
    [InlineData(4, 0.5, 2)]
    [InlineData(128, 0.25, 96)]
    [InlineData(128, 0.5, 64)]
    [InlineData(1, 0.5, 1)]
    public void Remaining_counts_the_units_left(int count, double fraction, int expected) =>
        Assert.Equal(expected, StructuredPruning.Remaining(count, fraction));

    [Fact]
    public void Mlp_importance_is_what_a_channel_reads_times_what_it_writes()
    {
        // fc1 rows: channel 0 reads |1|+|−2| = 3, channel 1 reads 1; fc2 columns: channel 0 writes |4|+|0| = 4, channel 1 writes |−1|+|3| = 4.
        using Tensor expand = tensor(new float[] { 1, -2, 0, 1 }, [2, 2]);
        using Tensor contract = tensor(new float[] { 4, -1, 0, 3 }, [2, 2]);

        double[] importance = StructuredPruning.MlpImportance(expand, contract);

        Assert.Equal(3 * 4, importance[0], 6);
        Assert.Equal(1 * 4, importance[1], 6);
    }

    [Fact]
    public void Head_importance_ranks_heads_by_their_value_to_output_map()
    {
        torch.manual_seed(2);
        int width = Model.AttentionWidth, size = Model.HeadSize;
        using Tensor qkv = randn(3 * width, Model.Dim);
        using Tensor projection = randn(Model.Dim, width);
        // Head h's value rows scaled by 10^h: the map grows with h whatever the random draw.
        for (int h = 0; h < Model.Heads; h++)
        {
            qkv.narrow(0, (2 * width) + (h * size), size).mul_(Math.Pow(10, h));
        }

        double[] importance = StructuredPruning.HeadImportance(qkv, projection, Model.Heads);

        Assert.Equal([2, 3], StructuredPruning.Keep(importance, 2));
        Assert.True(importance[0] < importance[1] && importance[1] < importance[2]);
    }

    [Fact]
    public void Stem_importance_scales_with_what_the_projection_reads_of_the_unit()
    {
        torch.manual_seed(8);
        using var encoder = new EpochEncoder(Model);
        using Tensor images = TestEpochImages.Create(Model, 16, seed: 4);
        double[] before = StructuredPruning.StemImportance(encoder, images);
        using (no_grad())
        {
            encoder.state_dict()["patch.weight"].select(1, 3).mul_(10);
        }

        double[] after = StructuredPruning.StemImportance(encoder, images);

        Assert.Equal(before[3] * 10, after[3], 4);
        Assert.Equal(before.Where((_, u) => u != 3), after.Where((_, u) => u != 3));
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    public void The_pruned_models_equal_the_originals_with_the_pruned_units_zeroed(double fraction)
    {
        torch.manual_seed(5);
        using var classifier = new EpochClassifier(Model);
        using var sequence = new InterEpochTransformer(Model);
        classifier.eval();
        sequence.eval();
        using Tensor images = TestEpochImages.Create(Model, 24, seed: 3);
        PruningPlan plan = StructuredPruning.Plan(classifier.Encoder, sequence, images, fraction);
        (EpochClassifier prunedClassifier, InterEpochTransformer prunedSequence) = StructuredPruning.Apply(classifier, sequence, plan);
        using (prunedClassifier)
        using (prunedSequence)
        {
            ModelOptions pruned = prunedClassifier.Encoder.Options;
            Assert.Equal(StructuredPruning.Remaining(Model.Heads, fraction), pruned.Heads);
            Assert.Equal(Model.HeadSize, pruned.HeadSize);
            Assert.Equal(StructuredPruning.Remaining(Model.MlpDim, fraction), pruned.MlpDim);
            Assert.Equal(StructuredPruning.Remaining(Model.StemChannels, fraction), pruned.StemChannels);

            ZeroPruned(classifier.Encoder, plan.Encoder, plan.StemUnits);
            ZeroPruned(sequence, plan.Sequence, null);
            using Tensor expected = classifier.forward(images);
            using Tensor actual = prunedClassifier.forward(images);
            Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5));

            using Tensor windows = randn(6, Model.Window, Model.Dim);
            using Tensor expectedStages = sequence.forward(windows);
            using Tensor actualStages = prunedSequence.forward(windows);
            Assert.True(actualStages.allclose(expectedStages, rtol: 1e-4, atol: 1e-5));
        }
    }

    [Fact]
    public void A_pruned_encoder_exports_integer_graphs_equal_to_the_simulation()
    {
        torch.manual_seed(6);
        using var classifier = new EpochClassifier(Model);
        using var sequence = new InterEpochTransformer(Model);
        classifier.eval();
        sequence.eval();
        using Tensor calibration = TestEpochImages.Create(Model, 64, seed: 1);
        PruningPlan plan = StructuredPruning.Plan(classifier.Encoder, sequence, calibration, 0.25);
        (EpochClassifier prunedClassifier, InterEpochTransformer prunedSequence) = StructuredPruning.Apply(classifier, sequence, plan);
        using (prunedClassifier)
        using (prunedSequence)
        {
            prunedClassifier.eval();
            // Three heads of width 8: the attention (24) is narrower than the tokens (32).
            Assert.Equal(24, prunedClassifier.Encoder.Options.AttentionWidth);
            IntegerEpochEncoder quantized = IntegerEpochEncoder.Quantize(prunedClassifier.Encoder, calibration);
            using Tensor images = TestEpochImages.Create(Model, 200, seed: 2);
            (Tensor embedding, IReadOnlyList<Tensor> attention) = quantized.Simulate(images);
            var graph = quantized.Export("test");

            Dictionary<string, long[]> outputs = OnnxRuntimeOutputs.Run(graph, "image", images);

            Assert.Empty(IntegerOnlyCheck.Violations(graph));
            Assert.Equal(embedding.data<long>().ToArray(), outputs["embedding"]);
            Assert.Equal(attention[^1].data<long>().ToArray(), outputs[$"attention_{attention.Count - 1}"]);
            embedding.Dispose();
        }
    }

    /// <summary>Silences the pruned units in place: a removed head's columns of the output projection, a removed MLP channel's fc1 row and bias (GELU(0) = 0), a removed stem unit's projection column.</summary>
    private static void ZeroPruned(nn.Module module, StackSelection keep, int[]? stem)
    {
        Dictionary<string, Tensor> p = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        using var noGrad = no_grad();
        if (stem is not null)
        {
            foreach (int u in Enumerable.Range(0, Model.StemChannels).Except(stem))
            {
                p["patch.weight"].select(1, u).zero_();
            }
        }

        for (int i = 0; i < keep.Heads.Count; i++)
        {
            foreach (int h in Enumerable.Range(0, Model.Heads).Except(keep.Heads[i]))
            {
                p[$"layers.{i}.projection.weight"].narrow(1, h * Model.HeadSize, Model.HeadSize).zero_();
            }

            foreach (int c in Enumerable.Range(0, Model.MlpDim).Except(keep.MlpChannels[i]))
            {
                p[$"layers.{i}.expand.weight"].select(0, c).zero_();
                p[$"layers.{i}.expand.bias"].select(0, c).zero_();
            }
        }
    }
}
