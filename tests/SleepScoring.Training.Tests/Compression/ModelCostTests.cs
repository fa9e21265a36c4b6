using SleepScoring.Training.Compression;
using SleepScoring.Training.Models;

namespace SleepScoring.Training.Tests.Compression;

/// <summary>MACs per epoch of the four-view geometry, worked out by hand.</summary>
public sealed class ModelCostTests
{
    // 2.1.0's geometry (the shipped 2.3.0 draws 320 rows: a larger stem, the rest the same): 256×300 images, 2 × 15 tokens of 128 × 20 pixels, stem 128, dim 64, 4 heads, MLP 128, 4 + 2 layers, window 21.
    private static readonly ModelOptions Shipped = new() { ImageHeight = 256 };

    [Fact]
    public void The_encoder_costs_what_its_matrix_products_cost()
    {
        // stem 30·2560·128 = 9 830 400; projection 30·128·64 = 245 760.
        // A full layer over 31 tokens: QKV 31·64·192 = 380 928, scores and mix 2 · 31·31·64 = 123 008,
        // output 31·64·64 = 126 976, MLP 2 · 31·64·128 = 507 904: 1 138 816.
        // The last layer (CLS row only after the scores): 380 928 + 61 504 + 1 984 + 4 096 + 16 384 = 464 896.
        Assert.Equal(9_830_400 + 245_760 + (3 * 1_138_816) + 464_896, ModelCost.EncoderMacs(Shipped));
    }

    [Fact]
    public void The_inter_epoch_model_costs_one_window_per_epoch()
    {
        // Window 21: full layer 21·64·192 + 2·441·64 + 21·64·64 + 2·21·64·128 = 744 576;
        // last layer 258 048 + 28 224 + 1 344 + 4 096 + 16 384 = 308 096; head 64·5 = 320.
        Assert.Equal(744_576 + 308_096 + 320, ModelCost.SequenceMacs(Shipped));
    }

    [Fact]
    public void Pruning_heads_keeps_their_width_and_narrows_the_attention()
    {
        ModelOptions pruned = Shipped with { Heads = 2, HeadWidth = 16 };

        Assert.Equal(32, pruned.AttentionWidth);
        Assert.True(ModelCost.MacsPerEpoch(pruned) < ModelCost.MacsPerEpoch(Shipped));
    }
}
