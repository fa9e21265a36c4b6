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
}