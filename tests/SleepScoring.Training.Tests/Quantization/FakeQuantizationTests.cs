using SleepScoring.Training.Quantization;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Quantization;

public sealed class FakeQuantizationTests
{
    [Fact]
    public void Weights_round_to_their_per_channel_int8_grid_and_pass_the_gradient_straight_through()
    {
        // Channel 0: max |w| = 1 → step 1/127; 0.3 → round(38.1) = 38 → 38/127. Channel 1: max 2 → step 2/127;
        // 0.5 → round(31.75) = 32 → 64/127; −2 stays −2 (−127 steps).
        using Tensor weight = tensor(new float[] { 0.3f, -1f, 0.5f, -2f }, [2, 2]).requires_grad_();
        using Tensor rounded = FakeQuantization.Weight(weight);
        float[] values = rounded.data<float>().ToArray();
        Assert.Equal(38f / 127, values[0], 6);
        Assert.Equal(-1f, values[1], 6);
        Assert.Equal(64f / 127, values[2], 6);
        Assert.Equal(-2f, values[3], 6);

        using Tensor sum = rounded.sum();
        sum.backward();
        Assert.Equal(new float[] { 1, 1, 1, 1 }, weight.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Activations_use_the_calibrated_scale_of_their_point_and_saturate()
    {
        var ranges = new ActivationRanges();
        ranges.Observe("layers.0.q", tensor(new float[] { -2f, 1f }));   // max 2 → step 2/127
        ranges.Observe("stem", tensor(new float[] { 0f, 5.1f }));        // max 5.1 → step 0.02 on [0, 255]
        ranges.Observe("residual", tensor(new float[] { 100f }));        // 16-bit: left alone
        var quantization = new FakeQuantization(ranges);

        Assert.Equal(["layers.0.q", "stem"], quantization.Points.Order(StringComparer.Ordinal));
        using Tensor q = quantization.Activation("layers.0.q", tensor(new float[] { 0.01f, 3f, -3f }));
        // 0.01 / (2/127) = 0.635 → 1 step; ±3 saturate at 127 and −128 steps.
        Assert.Equal(new[] { 2f / 127, 2f, -256f / 127 }, q.data<float>().ToArray(), new ToleranceComparer(1e-6f));
        using Tensor stem = quantization.Activation("stem", tensor(new float[] { -1f, 0.031f }));
        Assert.Equal(new[] { 0f, 0.04f }, stem.data<float>().ToArray(), new ToleranceComparer(1e-6f));
        using Tensor residual = quantization.Activation("residual", tensor(new float[] { 0.123f }));
        Assert.Equal(0.123f, residual.data<float>()[0]);
    }

    [Fact]
    public void Attention_probabilities_round_to_the_nine_bit_shiftmax_grid()
    {
        // 0.3 · 256 = 76.8 → 77/256; 1.0 → 256 steps saturates at 255/256.
        using Tensor p = FakeQuantization.Probabilities(tensor(new float[] { 0.3f, 1f }));
        Assert.Equal(new[] { 77f / 256, 255f / 256 }, p.data<float>().ToArray(), new ToleranceComparer(1e-6f));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
