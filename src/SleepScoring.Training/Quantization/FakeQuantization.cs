using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// Quantization-aware fine-tuning: the float forward rounds each 8-bit activation to the grid the
/// integer graph will use (the post-training calibration's scale at that point) and each weight to
/// its per-channel int8 grid, with straight-through gradients (the rounding passes the gradient
/// unchanged: y = x + (q(x) − x).detach()). Attention probabilities are rounded to the 9-bit
/// Shiftmax grid 2^−8. The 16-bit residual stream and the logits are left as they are: their
/// rounding is far below the 8-bit points'.
/// </summary>
public sealed class FakeQuantization
{
    /// <summary>Steps of the attention probabilities (Shiftmax output, 2^−8).</summary>
    public const double ProbabilityStep = 1.0 / 256;

    private readonly Dictionary<string, (double Scale, long Low, long High)> points = new(StringComparer.Ordinal);

    /// <summary>Grids of the points the calibration observed: symmetric 8-bit, or [0, 255] after the stem's ReLU.</summary>
    public FakeQuantization(ActivationRanges ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        foreach (string point in ranges.Points)
        {
            if (point is "residual" or "logits")
            {
                continue;
            }

            points[point] = point == "stem" ? (ranges.Scale(point, 255), 0, 255) : (ranges.Scale(point, 127), -128, 127);
        }
    }

    /// <summary>Named points with a grid.</summary>
    public IReadOnlyCollection<string> Points => points.Keys;

    /// <summary><paramref name="x"/> on the grid of <paramref name="point"/> (unchanged when the point has none).</summary>
    public Tensor Activation(string point, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return points.TryGetValue(point, out var grid) ? Round(x, grid.Scale, grid.Low, grid.High) : x;
    }

    /// <summary>Attention probabilities on the 9-bit Shiftmax grid.</summary>
    public static Tensor Probabilities(Tensor p) => Round(p, ProbabilityStep, 0, 255);

    /// <summary>A weight [out, …] on its symmetric per-output-channel int8 grid (max |w| → 127).</summary>
    public static Tensor Weight(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        Tensor scale;
        using (no_grad())
        {
            scale = weight.detach().abs().flatten(1).amax([1], keepdim: false).clamp_min(Scalars.Of(1e-8)).div(Scalars.Of(127.0));
            scale = scale.reshape([weight.shape[0], .. Enumerable.Repeat(1L, (int)weight.dim() - 1)]);
        }

        Tensor q = weight.detach().div(scale).round().clamp(Scalars.Of(-127.0), Scalars.Of(127.0)).mul(scale);
        return weight.add(q.sub(weight.detach()), Scalars.One).MoveToOuterDisposeScope();
    }

    private static Tensor Round(Tensor x, double scale, long low, long high)
    {
        using var scope = NewDisposeScope();
        Tensor q;
        using (no_grad())
        {
            q = x.detach().div(Scalars.Of(scale)).round().clamp(Scalars.Of((double)low), Scalars.Of((double)high)).mul(Scalars.Of(scale));
        }

        return x.add(q.sub(x.detach()), Scalars.One).MoveToOuterDisposeScope();
    }
}
