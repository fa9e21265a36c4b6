using SleepScoring.Onnx.Integer;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// The integer graph's arithmetic on TorchSharp int64 tensors, step for step as
/// <see cref="IntegerOps"/> emits it (ONNX Runtime's Div truncates; tables are the same arrays),
/// so the training side reproduces the exported graph bit for bit. Matrix products and
/// convolutions run in float64 on integer values: every partial sum is an integer below 2^53,
/// so the result is exact.
/// </summary>
public static class IntegerSimulation
{
    /// <summary>(a − aZero) · (b − bZero), batched over leading axes: MatMulInteger.</summary>
    public static Tensor MatMulInteger(Tensor a, long aZero, Tensor b, long bZero = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        using var scope = NewDisposeScope();
        Tensor left = a.to_type(ScalarType.Float64).Minus(aZero);
        Tensor right = b.to_type(ScalarType.Float64).Minus(bZero);
        return left.matmul(right).round().to_type(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    /// <summary>Requantization of int32 accumulators (bias included) to the stored values, per-channel constants along the last axis.</summary>
    public static Tensor Requantize(Tensor accumulator, Requantization rq)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        ArgumentNullException.ThrowIfNull(rq);
        using var scope = NewDisposeScope();
        Tensor multipliers = tensor(rq.Multipliers.ToArray(), ScalarType.Int64);
        Tensor constants = tensor(rq.Constants(null), ScalarType.Int64);
        Tensor divisors = tensor(rq.Divisors.ToArray(), ScalarType.Int64);
        Tensor t = accumulator.to_type(ScalarType.Int64).mul(multipliers).Plus(constants).TruncDiv(divisors);
        (long low, long high) = rq.Range;
        t = t.Clamp(rq.Offset + low, rq.Offset + high).Minus(rq.Offset);
        if (rq.Output == RequantizedType.UInt8)
        {
            t = t.Plus(128);
        }

        return t.MoveToOuterDisposeScope();
    }

    /// <summary>Shiftmax over the last axis of int32 scores.</summary>
    public static Tensor Shiftmax(Tensor scores, ShiftmaxTable table)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(table);
        using var scope = NewDisposeScope();
        Tensor distance = scores.amax([-1], keepdim: true).Minus(scores);
        if (table.PreShift > 0)
        {
            distance = distance.TruncDiv(1L << table.PreShift);
        }

        distance = distance.clamp_max(Scalars.Of(table.Table.Length - 1));
        Tensor exp = Lookup(tensor(table.Table, ScalarType.Int64), distance);
        Tensor sum = exp.sum([-1], keepdim: true);
        Tensor factor = Scalars.Filled(sum, table.ReciprocalNumerator).TruncDiv(sum);
        return exp.mul(factor).TruncDiv(table.OutputDivisor).MoveToOuterDisposeScope();
    }

    /// <summary>ShiftGELU of uint8 activations (values 0–255) through the 256-entry table.</summary>
    public static Tensor ShiftGelu(Tensor activation, ShiftGeluTable table)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(table);
        using Tensor values = tensor(table.Table.Select(b => (long)b).ToArray(), ScalarType.Int64);
        return Lookup(values, activation);
    }

    /// <summary>I-LayerNorm of a 16-bit residual stream over the last axis, to uint8 activations.</summary>
    public static Tensor LayerNorm(Tensor residual, IntegerLayerNorm norm)
    {
        ArgumentNullException.ThrowIfNull(residual);
        ArgumentNullException.ThrowIfNull(norm);
        using var scope = NewDisposeScope();
        Tensor mean = residual.sum([-1], keepdim: true).TruncDiv(norm.Width);
        Tensor centred = residual.Minus(mean);
        Tensor variance = centred.mul(centred).sum([-1], keepdim: true).TruncDiv(norm.Width).clamp_min(Scalars.Of(1L));
        int candidates = IntegerMath.SqrtStartCandidates;
        Tensor divisors = tensor(Enumerable.Range(1, candidates).Select(IntegerMath.SqrtStartDivisor).ToArray(), ScalarType.Int64);
        Tensor offsets = tensor(Enumerable.Range(1, candidates).Select(IntegerMath.SqrtStartOffset).ToArray(), ScalarType.Int64);
        Tensor sigma = variance.TruncDiv(divisors).Plus(offsets).amin([-1], keepdim: true);
        for (int i = 0; i < IntegerMath.BracketedSqrtIterations; i++)
        {
            sigma = minimum(sigma, sigma.Plus(variance.TruncDiv(sigma)).TruncDiv(2));
        }

        Tensor factor = Scalars.Filled(sigma, 1L << IntegerLayerNorm.FractionBits).TruncDiv(sigma);
        Tensor gains = tensor(norm.Gains.ToArray(), ScalarType.Int64);
        Tensor biases = tensor(norm.Biases.ToArray(), ScalarType.Int64);
        Tensor t = centred.mul(factor).TruncDiv(1L << norm.NormShift).mul(gains).Plus(biases).TruncDiv(1L << norm.Shift);
        return t.Clamp(norm.Offset - 128, norm.Offset + 127).Minus(norm.Offset - 128).MoveToOuterDisposeScope();
    }

    private static Tensor Lookup(Tensor table, Tensor indices)
    {
        using Tensor flat = indices.reshape(-1);
        using Tensor gathered = table.index_select(0, flat);
        return gathered.reshape(indices.shape);
    }
}
