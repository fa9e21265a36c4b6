using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// The largest magnitude seen at each named quantization point during calibration; the scale of
/// an 8-bit point is max/127 (max/255 after a ReLU), of a 16-bit point max/32767.
/// </summary>
public sealed class ActivationRanges
{
    private readonly Dictionary<string, double> maxima = new(StringComparer.Ordinal);

    /// <summary>Records |x|'s maximum at <paramref name="point"/>.</summary>
    public void Observe(string point, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using Tensor magnitude = x.abs();
        using Tensor largest = magnitude.max();
        double max = largest.ToDouble();
        maxima[point] = Math.Max(maxima.GetValueOrDefault(point), max);
    }

    /// <summary>The points observed so far.</summary>
    public IReadOnlyCollection<string> Points => maxima.Keys;

    /// <summary>Scale of a point quantized to <paramref name="levels"/> steps on each side of zero.</summary>
    public double Scale(string point, int levels) =>
        maxima.TryGetValue(point, out double max)
            ? Math.Max(max, 1e-6) / levels
            : throw new KeyNotFoundException($"Quantization point '{point}' was never observed during calibration.");
}
