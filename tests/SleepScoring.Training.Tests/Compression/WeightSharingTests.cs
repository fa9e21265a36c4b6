using SleepScoring.Training.Compression;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;
using SleepScoring.Training.Tests.Quantization;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Compression;

/// <summary>K-means weight sharing: codebook size, nearest-centroid assignment, index round trip, and the int8 values the export then stores.</summary>
public sealed class WeightSharingTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void A_codebook_has_at_most_k_symmetric_integer_values_with_the_extremes(int k)
    {
        var random = new Random(1);
        double[] grid = [.. Enumerable.Range(0, 5000).Select(_ => Math.Clamp(Normal(random) * 30, -127, 127)), 127, -127];

        Codebook book = Codebook.Fit(grid, k, 127);

        Assert.InRange(book.Values.Length, 2, k);
        Assert.Equal(book.Values.Order(), book.Values);
        Assert.Equal(book.Values.Select(v => -v).Order(), book.Values);
        Assert.Contains(127, book.Values);
        Assert.Contains(-127, book.Values);
        Assert.Equal((int)Math.Ceiling(Math.Log2(book.Values.Length)), book.IndexBits);
    }

    [Fact]
    public void Every_weight_maps_to_its_nearest_value_and_the_indices_round_trip()
    {
        var random = new Random(2);
        double[] grid = [.. Enumerable.Range(0, 3000).Select(_ => (random.NextDouble() * 254) - 127)];

        Codebook book = Codebook.Fit(grid, 16, 127);
        int[] decoded = book.Decode();

        for (int i = 0; i < grid.Length; i++)
        {
            double own = Math.Abs(grid[i] - book.Values[book.Indices[i]]);
            Assert.All(book.Values, v => Assert.True(own <= Math.Abs(grid[i] - v) + 1e-12));
            Assert.Equal(book.Values[book.Indices[i]], decoded[i]);
            Assert.Equal(book.Indices[i], Array.IndexOf(book.Values, decoded[i]));
        }

        // 3000 indices of 4 bits and 16 one-byte values.
        Assert.Equal(1500 + book.Values.Length, book.PackedBytes);
    }

    [Fact]
    public void K_means_moves_centroids_to_the_clusters()
    {
        // Magnitudes in two tight clusters around 10 and 60 (and the pinned 127): with 3 magnitudes, those.
        double[] grid = [.. Enumerable.Repeat(9.0, 50), .. Enumerable.Repeat(11.0, 50), .. Enumerable.Repeat(-60.0, 100), 127];

        Codebook book = Codebook.Fit(grid, 6, 127);

        Assert.Equal([-127, -60, -10, 10, 60, 127], book.Values);
    }

    [Theory]
    [InlineData(16, 127, 1.0)]
    [InlineData(64, 127, 1.0)]
    [InlineData(16, 64, -2.5)]
    public void The_export_quantizes_shared_weights_to_exactly_the_codebook(int k, int levels, double channelFactor)
    {
        torch.manual_seed(3);
        using Tensor weight = randn(12, 40);
        (Codebook book, Tensor shared) = WeightSharing.Share(weight, k, levels);
        using (shared)
        // A BatchNorm fold scales each channel (and may flip its sign) before quantization.
        using (Tensor folded = shared.mul(channelFactor).to_type(ScalarType.Float64))
        {
            QuantizedWeights q = QuantizedWeights.Linear(folded, null, inputScale: 1, levels);

            // q.Weights is [in, out]; the codebook indices are [out, in].
            int[] expected = book.Decode();
            for (int o = 0; o < 12; o++)
            {
                for (int i = 0; i < 40; i++)
                {
                    Assert.Equal(Math.Sign(channelFactor) * expected[(o * 40) + i], q.Weights[(i * 12) + o]);
                }
            }

            Assert.True(q.Weights.Distinct().Count() <= k);
        }
    }

    [Fact]
    public void Apply_shares_the_weight_matrices_the_graphs_multiply_and_nothing_else()
    {
        torch.manual_seed(4);
        ModelOptions model = TestEpochImages.SmallModel;
        using var encoder = new EpochEncoder(model);
        using Tensor biasBefore = encoder.state_dict()["patch.bias"].clone();
        using Tensor extremesBefore = encoder.state_dict()["patch.weight"].flatten(1).abs().amax(1);

        IReadOnlyDictionary<string, Codebook> books = WeightSharing.Apply(encoder, 16);

        string[] expected = ["stem.conv.weight", "patch.weight", .. Enumerable.Range(0, model.EncoderLayers).SelectMany(i => new[] { "queryKeyValue", "projection", "expand", "contract" }.Select(n => $"layers.{i}.{n}.weight"))];
        Assert.Equal(expected.Order(), books.Keys.Order());
        Assert.True(encoder.state_dict()["patch.bias"].allclose(biasBefore, rtol: 0, atol: 0));
        // Each channel keeps its extreme (so its quantization step), and now has at most 16 distinct values.
        using Tensor patch = encoder.state_dict()["patch.weight"].flatten(1);
        Assert.True(patch.abs().amax(1).allclose(extremesBefore, rtol: 1e-6, atol: 0));
        Assert.True(patch.select(0, 0).unique().Item1.shape[0] <= 16);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
