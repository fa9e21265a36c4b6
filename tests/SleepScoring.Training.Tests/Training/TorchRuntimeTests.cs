using SleepScoring.Training.Models;
using SleepScoring.Training.Training;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Training;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Torch_LoadsAndMultipliesMatrices()
    {
        TorchRuntime.Configure(threads: 1);
        using Tensor a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using Tensor b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using Tensor product = a.matmul(b);
        // [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]] by hand.
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
        Assert.Equal(1, torch.get_num_threads());
    }

    [Fact]
    public void StepTiming_SmallModel_ReportsCostsAndTheHandCountedParameters()
    {
        TorchRuntime.Configure(threads: 1, seed: 1);
        ModelOptions options = Models.ModelTests.SmallOptions();

        StepCost cost = StepTiming.Measure(options, batchSize: 4, repeats: 1);

        Assert.True(cost.TrainMsPerBatch > 0 && cost.InferenceMsPerBatch > 0);
        Assert.Equal(cost.TrainMsPerBatch / 4, cost.TrainMsPerEpoch, 12);
        // Encoder + head + sequence of the small options, counted like ModelTests' default count:
        // stem: patch (16/2)×(48/6) = 8×8 = 64 pixels, 64·8+8 + BN 2·8 = 536; projection 8·32+32 = 288;
        // CLS 32, positions 13·32 = 416; layer (dim 32, MLP 64) 128 + 32·96+96 + 32·32+32 + 32·64+64
        // + 64·32+32 = 8,544, two layers 17,088; LN 64 → encoder 18,424; head 32·5+5 = 165;
        // sequence: positions 11·32 = 352, one layer 8,544, LN 64, head 165 → 9,125.
        Assert.Equal(18_424 + 165 + 9_125, cost.Parameters);
    }
}
