using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
using SleepScoring.Tests.Support;

namespace SleepScoring.Inference.Tests.Explanation;

public sealed class CellContentTests : IDisposable
{
    private readonly ContractModel contract = new();

    public void Dispose() => contract.Dispose();

    [Fact]
    public void A_flat_epoch_has_no_content_and_ink_counts_in_its_own_cell()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        var content = new CellContent(model);
        byte[] flat = Occlusion.FlatImage(model);
        Assert.All(content.Measure(flat).Cast<long>(), c => Assert.Equal(0, c));

        // Change 3 pixels of cell (band 1, segment 4) by a known amount: 10 + 20 + 30 = 60 in that cell only.
        byte[] image = (byte[])flat.Clone();
        bool[] cell = Occlusion.CellMask(model, 1, 4);
        int[] pixels = [.. Enumerable.Range(0, cell.Length).Where(p => cell[p]).Take(3)];
        for (int k = 0; k < 3; k++)
        {
            image[pixels[k]] = (byte)(flat[pixels[k]] >= 128 ? flat[pixels[k]] - (10 * (k + 1)) : flat[pixels[k]] + (10 * (k + 1)));
        }

        long[,] measured = content.Measure(image);
        Assert.Equal(60, measured[1, 4]);
        Assert.Equal(60, measured.Cast<long>().Sum());
    }

    [Fact]
    public void Weighting_multiplies_by_the_content_and_rescales_the_largest_cell_to_one()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        var content = new CellContent(model);
        byte[] flat = Occlusion.FlatImage(model);
        byte[] image = (byte[])flat.Clone();
        foreach ((int band, int segment, int amount) in new[] { (0, 0, 40), (1, 2, 10) })
        {
            bool[] cell = Occlusion.CellMask(model, band, segment);
            int p = Array.IndexOf(cell, true);
            image[p] = (byte)(flat[p] >= 128 ? flat[p] - amount : flat[p] + amount);
        }

        var grid = new float[2, ContractModel.Segments];
        grid[0, 0] = 0.5f; // relevance 0.5 × content 40 = 20
        grid[1, 2] = 1f;   // relevance 1 × content 10 = 10
        grid[0, 1] = 1f;   // relevance without content → 0
        content.Weight(grid, image);

        Assert.Equal(1f, grid[0, 0]);
        Assert.Equal(0.5f, grid[1, 2]);
        Assert.Equal(0f, grid[0, 1]);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(37)]
    public void Absolute_difference_sum_counts_every_byte_including_the_tail(int length)
    {
        // a = 0, 1, 2, …; b = 255 − i: |a − b| = |2i − 255|, summed by hand below.
        byte[] a = [.. Enumerable.Range(0, length).Select(i => (byte)i)];
        byte[] b = [.. Enumerable.Range(0, length).Select(i => (byte)(255 - i))];
        long expected = 0;
        for (int i = 0; i < length; i++)
        {
            expected += Math.Abs((2 * i) - 255);
        }

        Assert.Equal(expected, CellContent.AbsoluteDifferenceSum(a, b));
        Assert.Equal(0, CellContent.AbsoluteDifferenceSum(a, a));
    }
}
