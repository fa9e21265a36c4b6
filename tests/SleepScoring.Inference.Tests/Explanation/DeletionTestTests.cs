using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;

namespace SleepScoring.Inference.Tests.Explanation;

public sealed class DeletionTestTests : IDisposable
{
    private readonly ContractModel contract = new();

    [Fact]
    public void A_saliency_grid_that_points_at_the_cell_the_model_reads_beats_random_masking()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        // The contract model reads only cell (0, 0); unmasked p(W) = 200/240, masked 0.2.
        byte[] image = ContractModel.ReadableImage(), window = ContractModel.NeighbourWindow();
        var saliency = new float[2, ContractModel.Segments];
        saliency[0, 0] = 1f;
        var cases = Enumerable.Range(0, 20).Select(_ => new DeletionCase(image, window, 0, saliency)).ToArray();

        IReadOnlyList<DeletionPoint> curve = DeletionTest.Measure(model, cases, [0.0, 0.2, 1.0]);

        double full = ContractModel.ReadableProbability - ContractModel.BlankedProbability;
        Assert.Equal(0, curve[0].SaliencyDrop, 6);
        // 20 % = 6 of 30 cells: the top 6 include cell (0, 0) every time; a random 6 include it with probability 1/5.
        Assert.Equal(full, curve[1].SaliencyDrop, 5);
        Assert.InRange(curve[1].RandomDrop, 0, full * 0.6);
        Assert.True(curve[1].Ratio >= 2, $"ratio {curve[1].Ratio:F2}");
        Assert.Equal(full, curve[2].RandomDrop, 5);
    }

    [Fact]
    public void A_saliency_grid_that_points_elsewhere_does_no_better_than_random()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        var saliency = new float[2, ContractModel.Segments];
        saliency[1, 14] = 1f; // the last cell, which the model never reads; the others tie and rank by index after it
        for (int s = 0; s < ContractModel.Segments; s++)
        {
            saliency[0, s] = -1f; // cell (0, 0) ranks last
        }

        var single = new DeletionCase(ContractModel.ReadableImage(), ContractModel.NeighbourWindow(), 0, saliency);
        IReadOnlyList<DeletionPoint> curve = DeletionTest.Measure(model, [single], [0.2]);

        Assert.Equal(0, curve[0].SaliencyDrop, 6);
    }

    public void Dispose() => contract.Dispose();
}
