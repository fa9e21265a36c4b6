using SleepScoring.Training.Training;

using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Training;

public sealed class AdamWOptimizerTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"adamw-{Guid.NewGuid():N}.bin");

    public AdamWOptimizerTests() => TorchRuntime.Configure(threads: 1);

    public void Dispose() => File.Delete(path);

    [Fact]
    public void Step_ConstantGradient_MatchesHandComputedUpdates()
    {
        using var weight = new Parameter(tensor(new float[] { 1f }));
        using var optimizer = new AdamWOptimizer([weight], learningRate: 0.1, weightDecay: 0.01);

        // Loss 2w → gradient 2. Step 1: w = 1·(1 − 0.1·0.01) = 0.999; m = 0.2, v = 0.004;
        // m̂ = 0.2/0.1 = 2, v̂ = 0.004/0.001 = 4 → w −= 0.1·2/(2 + 1e-8) → 0.899.
        Backward(weight);
        optimizer.Step();
        Assert.Equal(0.899, weight.item<float>(), 5);

        // Step 2: w = 0.899·0.999 = 0.898101; m = 0.38, v = 0.007996; m̂ = 0.38/0.19 = 2,
        // v̂ = 0.007996/0.001999 = 4 → w −= 0.1 → 0.798101.
        Backward(weight);
        optimizer.Step();
        Assert.Equal(0.798101, weight.item<float>(), 5);
    }

    [Fact]
    public void SaveLoad_ResumedOptimiser_TakesTheSameNextStep()
    {
        using var a = new Parameter(tensor(new float[] { 1f, -2f }));
        using var first = new AdamWOptimizer([a], learningRate: 0.05, weightDecay: 0.1);
        Backward(a);
        first.Step();
        first.Save(path);
        using var b = new Parameter(a.detach().clone());
        using var second = new AdamWOptimizer([b], learningRate: 0.05, weightDecay: 0.1);
        second.Load(path);

        Backward(a);
        first.Step();
        Backward(b);
        second.Step();

        Assert.Equal(2, second.Steps);
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
    }

    [Fact]
    public void Load_OtherParameterCount_ThrowsInvalidData()
    {
        using var a = new Parameter(tensor(new float[] { 1f }));
        using (var optimizer = new AdamWOptimizer([a], 0.1, 0))
        {
            optimizer.Save(path);
        }

        using var b = new Parameter(tensor(new float[] { 1f }));
        using var c = new Parameter(tensor(new float[] { 1f }));
        using var other = new AdamWOptimizer([b, c], 0.1, 0);
        Assert.Throws<InvalidDataException>(() => other.Load(path));
    }

    private static void Backward(Parameter weight)
    {
        weight.grad?.zero_();
        using Tensor loss = (weight * 2f).sum();
        loss.backward();
    }
}