using SleepScoring.Inference.Explanation;

namespace SleepScoring.Inference.Tests.Explanation;

public sealed class AttentionRolloutTests
{
    /// <summary>One item, one head: the maps [tokens, tokens] of each layer, given as rows.</summary>
    private static AttentionMaps Maps(params byte[][][] layers)
    {
        int tokens = layers[0].Length;
        return new AttentionMaps(1, 1, tokens, layers.Select(rows => rows.SelectMany(r => r).ToArray()).ToArray());
    }

    private static byte[][] Identity(int tokens) =>
        Enumerable.Range(0, tokens).Select(q => Enumerable.Range(0, tokens).Select(k => (byte)(k == q ? 127 : 0)).ToArray()).ToArray();

    [Fact]
    public void One_layer_cls_attending_one_token_gives_half_to_it_and_half_to_itself()
    {
        byte[][] layer = Identity(5);
        layer[0] = [0, 0, 127, 0, 0];

        double[] relevance = AttentionRollout.Relevance(Maps(layer), 0, 0);

        // Â row 0 = ½·e2 + ½·e0 (residual path).
        Assert.Equal(new[] { 0.5, 0, 0.5, 0, 0 }, relevance);
    }

    [Fact]
    public void Two_layers_multiply_through_the_token_attended_first()
    {
        // Layer 1 (first): token 2 attends token 4 entirely. Layer 2 (last): CLS attends token 2.
        byte[][] first = Identity(5);
        first[2] = [0, 0, 0, 0, 127];
        byte[][] last = Identity(5);
        last[0] = [0, 0, 127, 0, 0];

        double[] relevance = AttentionRollout.Relevance(Maps(first, last), 0, 0);

        // r = e0·Â2 = ½e0 + ½e2; then ·Â1: ½e0·Â1 = ½e0 (identity row), ½e2·Â1 = ¼e2 + ¼e4.
        Assert.Equal(new[] { 0.5, 0, 0.25, 0, 0.25 }, relevance);
    }

    [Fact]
    public void Epoch_grid_lays_tokens_out_by_band_and_segment_and_scales_the_largest_to_one()
    {
        // CLS + 2 bands × 3 segments; CLS attends token 1 + 1·3 + 2 = 6 (band 1, segment 2) twice as much as token 1.
        byte[][] layer = Identity(7);
        layer[0] = [0, 40, 0, 0, 0, 0, 80];

        float[,] grid = AttentionRollout.EpochGrid(Maps(layer), 0, derivations: 2, segments: 3);

        Assert.Equal(1f, grid[1, 2]);
        Assert.Equal(0.5f, grid[0, 0], 4);
        Assert.Equal(0f, grid[0, 1]);
        Assert.Equal(0f, grid[1, 0]);
    }

    [Fact]
    public void Uniform_attention_gives_a_uniform_grid()
    {
        byte[][] layer = Enumerable.Range(0, 5).Select(_ => Enumerable.Repeat((byte)25, 5).ToArray()).ToArray();

        float[,] grid = AttentionRollout.EpochGrid(Maps(layer, layer), 0, derivations: 2, segments: 2);

        Assert.All(grid.Cast<float>(), v => Assert.Equal(1f, v, 5));
    }

    [Fact]
    public void Heads_are_averaged_and_rows_renormalised()
    {
        // Two heads: head 0 CLS→token 1, head 1 CLS→token 2; rows of 126 and 120 (integer Shiftmax rows do not sum to exactly 127).
        byte[] map =
        [
            0, 126, 0, /**/ 0, 127, 0, /**/ 0, 0, 127,
            0, 0, 120, /**/ 0, 127, 0, /**/ 0, 0, 127,
        ];

        double[] relevance = AttentionRollout.Relevance(new AttentionMaps(1, 2, 3, [map]), 0, 0);

        Assert.Equal(0.5, relevance[0], 10);
        Assert.Equal(0.25, relevance[1], 10);
        Assert.Equal(0.25, relevance[2], 10);
    }

    [Fact]
    public void Neighbour_influence_is_the_centre_row_normalised()
    {
        // Window of 5: the centre (2) attends its left neighbour (1) entirely.
        byte[][] layer = Identity(5);
        layer[2] = [0, 127, 0, 0, 0];

        float[] influence = AttentionRollout.NeighbourInfluence(Maps(layer), 0);

        Assert.Equal(new[] { 0f, 0.5f, 0.5f, 0f, 0f }, influence);
    }

    [Fact]
    public void A_grid_that_does_not_fit_the_token_count_is_rejected()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => AttentionRollout.EpochGrid(Maps(Identity(5)), 0, 2, 3));

        Assert.Contains("5 tokens", e.Message, StringComparison.Ordinal);
    }
}
