using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// Weights of a linear layer, symmetric int8 per output channel (±127, or fewer levels), and the
/// bias as int32 at the accumulator's scale (input scale × weight scale of the channel).
/// </summary>
public sealed class QuantizedWeights
{
    private QuantizedWeights(sbyte[] weights, long[] shape, int[] bias, double[] weightScales, double inputScale, long fanIn)
    {
        Weights = weights;
        Shape = shape;
        Bias = bias;
        WeightScales = weightScales;
        InputScale = inputScale;
        FanIn = fanIn;
    }

    /// <summary>int8 weights [in, out] (MatMulInteger's B).</summary>
    public sbyte[] Weights { get; }

    public long[] Shape { get; }

    /// <summary>int32 bias per output channel.</summary>
    public int[] Bias { get; }

    /// <summary>Real value of one weight step, per output channel.</summary>
    public double[] WeightScales { get; }

    /// <summary>Real value of one input step.</summary>
    public double InputScale { get; }

    /// <summary>Inputs summed per output.</summary>
    public long FanIn { get; }

    public int Channels => Bias.Length;

    /// <summary>Real value of one accumulator step of channel c.</summary>
    public double AccumulatorScale(int c) => InputScale * WeightScales[c];

    /// <summary>
    /// |accumulator| bound for inputs of at most <paramref name="inputMagnitude"/> steps from their
    /// zero point: the largest Σ|w| of a channel times the input bound, plus the largest |bias|. A
    /// guarantee from the actual weights, tighter than fan-in × 127, so more requantizations fit int32.
    /// </summary>
    public long AccumulatorBound(long inputMagnitude)
    {
        long outputs = Shape[1], largest = 0;
        for (long o = 0; o < outputs; o++)
        {
            long sum = 0;
            for (long i = 0; i < FanIn; i++)
            {
                sum += Math.Abs((long)Weights[(i * outputs) + o]);
            }

            largest = Math.Max(largest, sum);
        }

        return (largest * inputMagnitude) + Bias.Max(b => Math.Abs((long)b));
    }

    /// <summary>Ratios accumulator scale / output scale, per channel, for a <c>Requantization</c>.</summary>
    public double[] Ratios(double outputScale) => Enumerable.Range(0, Channels).Select(c => AccumulatorScale(c) / outputScale).ToArray();

    /// <summary>A torch Linear's weight [out, in] and bias [out], each channel's weights in [−<paramref name="levels"/>, <paramref name="levels"/>].</summary>
    public static QuantizedWeights Linear(Tensor weight, Tensor? bias, double inputScale, int levels = 127)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levels, 127);
        (sbyte[] q, double[] scales) = PerChannel(weight, levels);
        // Re-lay the quantized [out, in] values as [in, out] for MatMulInteger.
        long outputs = weight.shape[0], inputs = weight.shape[1];
        var laid = new sbyte[q.Length];
        for (long o = 0; o < outputs; o++)
        {
            for (long i = 0; i < inputs; i++)
            {
                laid[(i * outputs) + o] = q[(o * inputs) + i];
            }
        }

        return new QuantizedWeights(laid, [inputs, outputs], QuantizeBias(bias, scales, inputScale, outputs), scales, inputScale, inputs);
    }

    /// <summary>The int8 weights as an int64 tensor of <see cref="Shape"/> (for the simulation).</summary>
    public Tensor WeightTensor() => tensor(Weights.Select(w => (long)w).ToArray(), Shape);

    /// <summary>The bias as an int64 tensor of the given shape (for the simulation).</summary>
    public Tensor BiasTensor(params long[] shape) => tensor(Bias.Select(b => (long)b).ToArray(), shape);

    private static (sbyte[] Values, double[] Scales) PerChannel(Tensor weight, int levels)
    {
        long outputs = weight.shape[0];
        using Tensor rows = weight.reshape(outputs, -1);
        double[] data = rows.data<double>().ToArray();
        int width = (int)rows.shape[1];
        var values = new sbyte[data.Length];
        var scales = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double max = 0;
            for (int i = 0; i < width; i++)
            {
                max = Math.Max(max, Math.Abs(data[(o * width) + i]));
            }

            scales[o] = Math.Max(max, 1e-8) / levels;
            for (int i = 0; i < width; i++)
            {
                values[(o * width) + i] = (sbyte)Math.Clamp(Math.Round(data[(o * width) + i] / scales[o]), -levels, levels);
            }
        }

        return (values, scales);
    }

    private static int[] QuantizeBias(Tensor? bias, double[] scales, double inputScale, long outputs)
    {
        double[] b = bias is null ? new double[outputs] : bias.data<double>().ToArray();
        return b.Select((v, c) => (int)Math.Clamp(Math.Round(v / (inputScale * scales[c])), int.MinValue, int.MaxValue)).ToArray();
    }
}
