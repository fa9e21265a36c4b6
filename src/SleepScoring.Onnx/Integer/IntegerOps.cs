using SleepScoring.Onnx.Proto;

namespace SleepScoring.Onnx.Integer;

/// <summary>
/// The integer operators as ONNX node sequences. Each emitter computes exactly what its C#
/// reference (<see cref="Requantization.Store"/>, <see cref="ShiftmaxTable.Apply"/>,
/// <see cref="IntegerLayerNorm.Apply"/>, <see cref="ShiftGeluTable.Table"/>) computes, using only
/// integer tensors and operators ONNX Runtime's CPU provider accepts (DOMAIN.md).
/// </summary>
public static class IntegerOps
{
    private static AttributeProto To(TensorElementType type) => OnnxAttribute.Int("to", (long)type);

    /// <summary>Zero point of every MatMulInteger operand B (weights and activations alike).</summary>
    public const byte OperandBZeroPoint = 128;

    /// <summary>
    /// (A − aZero)·(B − 128) with both operands uint8. Why B is never int8: ONNX Runtime's u8×s8
    /// kernel on x86 CPUs without VNNI (AVX2 only, e.g. this project's build machine) multiplies
    /// byte pairs with VPMADDUBSW, which saturates their sum at int16 — 255·127·2 comes out as
    /// 32767 — so the same graph gives different integers on different CPUs. The u8×u8 kernel
    /// widens to int16 before multiplying and is exact everywhere (measured: 1.2–1.5× the u8×s8 time).
    /// </summary>
    public static string MatMulInteger(this OnnxGraphBuilder g, string a, byte aZeroPoint, string b, string name = "mm")
    {
        ArgumentNullException.ThrowIfNull(g);
        return g.Node("MatMulInteger", a, b, g.Scalar($"{name}_azp", aZeroPoint), g.Scalar($"{name}_bzp", OperandBZeroPoint));
    }

    /// <summary>int8 weights [in, out] as the uint8 operand B of <see cref="MatMulInteger"/> (w + 128).</summary>
    public static string Weights(this OnnxGraphBuilder g, IReadOnlyList<sbyte> weights, long[] shape, string name = "w")
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(weights);
        return g.Initializer<byte>(name, [.. weights.Select(w => (byte)(w + OperandBZeroPoint))], shape);
    }

    /// <summary>
    /// int32 accumulator → requantized tensor (see <see cref="Requantization"/>). Per-channel
    /// multipliers apply along the last axis unless <paramref name="multiplierShape"/> says
    /// otherwise (e.g. [C, 1, 1] for NCHW convolution outputs).
    /// </summary>
    public static string Requantize(this OnnxGraphBuilder g, string accumulator, Requantization rq, string name = "rq", long[]? multiplierShape = null)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(rq);
        // int32 throughout when the bound allows it (rq.Narrow); otherwise widen to int64 first.
        string wide = rq.Narrow ? accumulator : g.Node("Cast", [accumulator], To(TensorElementType.Int64));
        string Constant(string suffix, long value) => rq.Narrow ? g.Scalar($"{name}_{suffix}", checked((int)value)) : g.Scalar($"{name}_{suffix}", value);
        long[] multipliers = [.. rq.Multipliers];
        string multiplier = multipliers.Length == 1
            ? Constant("m", multipliers[0])
            : rq.Narrow
                ? g.Initializer<int>($"{name}_m", [.. multipliers.Select(m => checked((int)m))], multiplierShape ?? [multipliers.Length])
                : g.Initializer<long>($"{name}_m", multipliers, multiplierShape ?? [multipliers.Length]);
        string scaled = g.Node("Mul", wide, multiplier);
        string biased = g.Node("Add", scaled, Constant("bias", (1L << (rq.Shift - 1)) + (rq.Offset << rq.Shift)));
        string floored = g.Node("Div", biased, Constant("div", 1L << rq.Shift));
        (long low, long high) = rq.Range;
        string clipped = g.Node("Clip", floored, Constant("lo", rq.Offset + low), Constant("hi", rq.Offset + high));
        return rq.Output switch
        {
            RequantizedType.UInt8 or RequantizedType.UInt8Relu => g.Node("Cast", [clipped], To(TensorElementType.UInt8)),
            _ => g.Node("Cast", [g.Node("Sub", clipped, Constant("k", rq.Offset))], To(TensorElementType.Int32)),
        };
    }

    /// <summary>int32 scores → Shiftmax probabilities along the last axis (uint8 for b ≤ 8, else int32).</summary>
    public static string Shiftmax(this OnnxGraphBuilder g, string scores, ShiftmaxTable table, string name = "softmax")
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(table);
        string axes = g.Initializer<long>($"{name}_axes", [-1], 1);
        string max = g.Node("ReduceMax", [scores], OnnxAttribute.Ints("axes", -1), OnnxAttribute.Int("keepdims", 1));
        string distance = g.Node("Sub", max, scores);
        if (table.PreShift > 0)
        {
            distance = g.Node("Div", distance, g.Scalar($"{name}_pre", 1 << table.PreShift));
        }

        distance = g.Node("Min", distance, g.Scalar($"{name}_last", table.Table.Length - 1));
        string exp = g.Lookup(g.Initializer<int>($"{name}_exp", table.Table, 1, table.Table.Length), distance, $"{name}_exp");
        string sum = g.Node("Cast", [g.Node("ReduceSum", [exp, axes], OnnxAttribute.Int("keepdims", 1))], To(TensorElementType.Int64));
        string factor = g.Node("Div", g.Scalar($"{name}_one", ShiftmaxTable.ReciprocalNumerator), sum);
        string scaled = g.Node("Mul", g.Node("Cast", [exp], To(TensorElementType.Int64)), factor);
        string probabilities = g.Node("Div", scaled, g.Scalar($"{name}_out", table.OutputDivisor));
        return g.Node("Cast", [probabilities], To(table.OutputBits <= 9 ? TensorElementType.UInt8 : TensorElementType.Int32));
    }

    /// <summary>uint8 activation → ShiftGELU → uint8 activation (one lookup in the 256-entry table).</summary>
    public static string ShiftGelu(this OnnxGraphBuilder g, string activation, ShiftGeluTable table, string name = "gelu")
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(table);
        string index = g.Node("Cast", [activation], To(TensorElementType.Int32));
        return g.Lookup(g.Initializer<byte>($"{name}_table", table.Table, 1, 256), index, name);
    }

    /// <summary>
    /// table[index] element-wise, for a table initializer of shape [1, L]: the indices are flattened
    /// to [1, n], looked up by GatherElements along axis 1 and reshaped back. Why not Gather: ONNX
    /// Runtime's Gather costs ~24 ns per looked-up element on this machine, GatherElements on one
    /// row ~0.8 ns (measured on 254k int32 indices, one thread): the tables were the encoder's
    /// slowest nodes.
    /// </summary>
    public static string Lookup(this OnnxGraphBuilder g, string table, string indices, string name = "lookup")
    {
        ArgumentNullException.ThrowIfNull(g);
        string row = g.Node("Reshape", indices, g.Initializer<long>($"{name}_row", [1, -1], 2));
        string found = g.Node("GatherElements", [table, row], OnnxAttribute.Int("axis", 1));
        return g.Node("Reshape", found, g.Node("Shape", indices));
    }

    /// <summary>int32 residual stream (|r| &lt; 2^15) → I-LayerNorm over the last axis → uint8 activation.</summary>
    public static string LayerNorm(this OnnxGraphBuilder g, string residual, IntegerLayerNorm norm, string name = "ln")
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(norm);
        string axes = g.Initializer<long>($"{name}_axes", [-1], 1);
        string width32 = g.Scalar($"{name}_d32", norm.Width);
        string mean = g.Node("Div", g.Node("ReduceSum", [residual, axes], OnnxAttribute.Int("keepdims", 1)), width32);
        string centred = g.Node("Cast", [g.Node("Sub", residual, mean)], To(TensorElementType.Int64));
        string squares = g.Node("ReduceSum", [g.Node("Mul", centred, centred), axes], OnnxAttribute.Int("keepdims", 1));
        string variance = g.Node("Max", g.Node("Div", squares, g.Scalar($"{name}_d64", (long)norm.Width)), g.Scalar($"{name}_one", 1L));

        // Start: min over i of ⌊v/2^(i+1)⌋ + 2^(i−1) + 1, broadcast over the candidates in one Div, Add, ReduceMin.
        int candidates = IntegerMath.SqrtStartCandidates;
        long[] divisors = [.. Enumerable.Range(1, candidates).Select(IntegerMath.SqrtStartDivisor)];
        long[] offsets = [.. Enumerable.Range(1, candidates).Select(IntegerMath.SqrtStartOffset)];
        string sigma = g.Node("ReduceMin",
            [g.Node("Add", g.Node("Div", variance, g.Initializer<long>($"{name}_sqrt_div", divisors, candidates)), g.Initializer<long>($"{name}_sqrt_add", offsets, candidates))],
            OnnxAttribute.Ints("axes", -1), OnnxAttribute.Int("keepdims", 1)); // opset 13: ReduceMin's axes are an attribute

        // Newton k ← min(k, ⌊(k + ⌊v/k⌋)/2⌋) a fixed number of times; non-increasing from above the root.
        string two = g.Scalar($"{name}_two", 2L);
        for (int i = 0; i < IntegerMath.BracketedSqrtIterations; i++)
        {
            string next = g.Node("Div", g.Node("Add", sigma, g.Node("Div", variance, sigma)), two);
            sigma = g.Node("Min", sigma, next);
        }

        string factor = g.Node("Div", g.Scalar($"{name}_unit", 1L << IntegerLayerNorm.FractionBits), sigma);
        string normalised = g.Node("Mul", centred, factor);
        long[] gains = [.. norm.Gains];
        long[] biases = [.. norm.Biases];
        string affine = g.Node("Add",
            g.Node("Mul", normalised, g.Initializer<long>($"{name}_gain", gains, gains.Length)),
            g.Initializer<long>($"{name}_bias", biases, biases.Length));
        string floored = g.Node("Div", affine, g.Scalar($"{name}_div", 1L << norm.Shift));
        string clipped = g.Node("Clip", floored, g.Scalar($"{name}_lo", norm.Offset - 128), g.Scalar($"{name}_hi", norm.Offset + 127));
        return g.Node("Cast", [clipped], To(TensorElementType.UInt8));
    }
}
