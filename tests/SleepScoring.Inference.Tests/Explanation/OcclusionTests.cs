using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;

namespace SleepScoring.Inference.Tests.Explanation;

public sealed class OcclusionTests : IDisposable
{
    private readonly ContractModel contract = new();

    [Fact]
    public void Only_the_cell_the_model_reads_changes_the_stage_probability()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        // The contract encoder's embedding is image row 0, columns 0–7; the contract sequence model's
        // raw stage scores are the centre embedding's first five bytes.
        float[,] drops = Occlusion.Drops(model, ContractModel.ReadableImage(), ContractModel.NeighbourWindow(), targetClass: 0);

        // Unmasked: p(W) = 200 / 240. Cell (band 0, segment 0) covers rows 0–31, columns 0–19:
        // masking it zeroes the scores, which present as uniform (0.2). No other cell is read.
        Assert.Equal((2, ContractModel.Segments), (drops.GetLength(0), drops.GetLength(1)));
        Assert.Equal(ContractModel.ReadableProbability - ContractModel.BlankedProbability, drops[0, 0], 5);
        Assert.All(drops.Cast<float>().Skip(1), d => Assert.Equal(0f, d));
    }

    [Fact]
    public void Cell_masks_tile_the_image()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);

        int[] cover = new int[64 * 300];
        for (int band = 0; band < 2; band++)
        {
            for (int segment = 0; segment < ContractModel.Segments; segment++)
            {
                bool[] mask = Occlusion.CellMask(model, band, segment);
                for (int p = 0; p < mask.Length; p++)
                {
                    cover[p] += mask[p] ? 1 : 0;
                }
            }
        }

        // Every pixel in exactly one cell; cell (1, 14) is rows 32–63, columns 280–299.
        Assert.All(cover, c => Assert.Equal(1, c));
        bool[] last = Occlusion.CellMask(model, 1, 14);
        Assert.True(last[(32 * 300) + 280] && last[(63 * 300) + 299]);
        Assert.False(last[(31 * 300) + 299] || last[(63 * 300) + 279]);
    }

    public void Dispose() => contract.Dispose();
}
