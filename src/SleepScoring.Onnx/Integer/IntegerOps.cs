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

    /// <summary>
    /// Largest |w| that <see cref="MatMulIntegerSignedWeights"/> accepts: a byte pair then sums to at
    /// most 255·64·2 = 32640 &lt; 2^15, so even VPMADDUBSW's int16 pair sums cannot saturate.
    /// </summary>
    public const int SignedWeightLimit = 64;

    /// <summary>
    /// (A − aZero)·W with W int8 in [−64, 64] (7-bit weights): ONNX Runtime's u8×s8 kernel, exact on
    /// every CPU at this range and ~1.5× faster than u8×u8 on the patch stem here (17 vs 25 ms for
    /// 1920 × 2560 × 128 at high load).
    /// </summary>
    public static string MatMulIntegerSignedWeights(this OnnxGraphBuilder g, string a, byte aZeroPoint, IReadOnlyList<sbyte> weights, long[] shape, string name = "mm")
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Any(w => Math.Abs((int)w) > SignedWeightLimit))
        {
            throw new ArgumentException($"Weights multiplied as int8 must lie in [−{SignedWeightLimit}, {SignedWeightLimit}] to be exact on CPUs without VNNI.", nameof(weights));
        }

        return g.Node("MatMulInteger", a, g.Initializer<sbyte>($"{name}_w", [.. weights], shape), g.Scalar($"{name}_azp", aZeroPoint));
    }

    /// <summary>int8 weights [in, out] as the uint8 operand B of <see cref="MatMulInteger"/> (w + 128).</summary>
    public static string Weights(this OnnxGraphBuilder g, IReadOnlyList<sbyte> weights, long[] shape, string name = "w")
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(weights);
        return g.Initializer<byte>(name, [.. weights.Select(w => (byte)(w + OperandBZeroPoint))], shape);
    }

    /// <summary>
    /// MatMulInteger product (+ <paramref name="bias"/>, folded into the rounding constant) →
    /// requantized tensor (see <see cref="Requantization"/>), multipliers along the last axis.
    /// </summary>
    public static string Requantize(this OnnxGraphBuilder g, string product, Requantization rq, IReadOnlyList<int>? bias = null, string name = "rq")
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(rq);
        string quotient = g.Quotient(product, rq, bias, name);
        (long low, long high) = rq.Range;
        string clipped = g.Node("Clip", quotient, g.Scalar($"{name}_lo", checked((int)(rq.Offset + low))), g.Scalar($"{name}_hi", checked((int)(rq.Offset + high))));
        return rq.Output switch
        {
            RequantizedType.UInt8 or RequantizedType.UInt8Relu => g.Node("Cast", [clipped], To(TensorElementType.UInt8)),
            _ => g.Node("Sub", clipped, g.Scalar($"{name}_k", checked((int)rq.Offset))),
        };
    }

    /// <summary>
    /// Requantization to uint8 followed by a 256-entry table (indexed by the stored byte), as one
    /// lookup indexed by the unclipped quotient v = q + K: the table is extended over every v the
    /// accumulator bound allows, with the clip built into it, so neither the Clip nor the two
    /// Casts of <see cref="Requantize"/> followed by a byte-indexed lookup are needed (ShiftGELU).
    /// </summary>
    public static string RequantizeLookup(this OnnxGraphBuilder g, string product, Requantization rq, IReadOnlyList<byte> table, IReadOnlyList<int>? bias = null, string name = "rq_lookup")
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(rq);
        ArgumentNullException.ThrowIfNull(table);
        if (rq.Output != RequantizedType.UInt8 || table.Count != 256)
        {
            throw new ArgumentException("A fused lookup takes a uint8 requantization and a 256-entry table.", nameof(table));
        }

        string quotient = g.Quotient(product, rq, bias, name);
        (long low, long high) = rq.Range;
        if (rq.LargestQuotient >= MaxFusedTable)
        {
            // A table that long would not stay in cache: clip, then index the 256 entries by q + 128.
            string clipped = g.Node("Clip", quotient, g.Scalar($"{name}_lo", checked((int)(rq.Offset + low))), g.Scalar($"{name}_hi", checked((int)(rq.Offset + high))));
            string index = g.Node("Sub", clipped, g.Scalar($"{name}_k", checked((int)rq.Offset - 128)));
            return g.Lookup(g.Initializer<byte>($"{name}_table", [.. table], 1, 256), index, name);
        }

        byte[] extended = new byte[rq.LargestQuotient + 1];
        for (long v = 0; v < extended.Length; v++)
        {
            extended[v] = table[(int)(Math.Clamp(v - rq.Offset, low, high) + 128)];
        }

        return g.Lookup(g.Initializer<byte>($"{name}_table", extended, 1, extended.Length), quotient, name);
    }

    /// <summary>Longest extended table <see cref="RequantizeLookup"/> builds (bytes).</summary>
    public const int MaxFusedTable = 1 << 16;

    /// <summary>
    /// v = ⌊(z·m_c + C_c) / D_c⌋ as int32, never negative (K·D_c is in C). In int32 when the bound
    /// allows (<see cref="RequantizationForm.Divisor"/>: Add, Div; <see cref="RequantizationForm.NarrowDyadic"/>:
    /// Mul, Add, Div); otherwise Mul and Add in int64 and the floor division as a right shift in
    /// uint64 — ONNX Runtime's int64 Div costs ~2.4 ns per element here, Cast + BitShift ~1.2.
    /// </summary>
    private static string Quotient(this OnnxGraphBuilder g, string product, Requantization rq, IReadOnlyList<int>? bias, string name)
    {
        long[] multipliers = [.. rq.Multipliers];
        long[] constants = rq.Constants(bias);
        if (rq.Narrow)
        {
            string Int32s(string suffix, long[] values) => values.Length == 1
                ? g.Scalar($"{name}_{suffix}", checked((int)values[0]))
                : g.Initializer<int>($"{name}_{suffix}", [.. values.Select(v => checked((int)v))], values.Length);
            string scaled = rq.Form == RequantizationForm.Divisor ? product : g.Node("Mul", product, Int32s("m", multipliers));
            return g.Node("Div", g.Node("Add", scaled, Int32s("c", constants)), Int32s("div", [.. rq.Divisors]));
        }

        string wide = g.Node("Cast", [product], To(TensorElementType.Int64));
        string mw = multipliers.Length == 1 ? g.Scalar($"{name}_m", multipliers[0]) : g.Initializer<long>($"{name}_m", multipliers, multipliers.Length);
        string cw = constants.Length == 1 ? g.Scalar($"{name}_c", constants[0]) : g.Initializer<long>($"{name}_c", constants, constants.Length);
        string dividend = g.Node("Cast", [g.Node("Add", g.Node("Mul", wide, mw), cw)], To(TensorElementType.UInt64));
        return g.Node("Cast", [g.ShiftRight(dividend, rq.Shift, name)], To(TensorElementType.Int32));
    }

    /// <summary>⌊x / 2^s⌋ of a uint64 tensor (ONNX BitShift takes unsigned types only).</summary>
    private static string ShiftRight(this OnnxGraphBuilder g, string unsigned, int shift, string name) =>
        g.Node("BitShift", [unsigned, g.Scalar($"{name}_shift", (ulong)shift)], OnnxAttribute.String("direction", "RIGHT"));

    /// <summary>int32 scores → Shiftmax probabilities along the last axis (uint8 for b ≤ 9, else int32).</summary>
    public static string Shiftmax(this OnnxGraphBuilder g, string scores, ShiftmaxTable table, string name = "softmax")
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(table);
        string max = g.Node("ReduceMax", [scores], OnnxAttribute.Ints("axes", -1), OnnxAttribute.Int("keepdims", 1));
        string distance = g.Node("Sub", max, scores);
        if (table.PreShift > 0)
        {
            distance = g.Node("Div", distance, g.Scalar($"{name}_pre", 1 << table.PreShift));
        }

        distance = g.Node("Min", distance, g.Scalar($"{name}_last", table.Table.Length - 1));
        string exp = g.Lookup(g.Initializer<int>($"{name}_exp", table.Table, 1, table.Table.Length), distance, $"{name}_exp");
        // ΣE < 2^31 by construction (ShiftmaxTable.Create), so the row sum is exact in int32.
        string sum = g.RowSum(exp, table.RowLength, TensorElementType.Int32, name);
        string probabilities;
        if (table.Narrow)
        {
            // E·⌊(2^31 − 1)/ΣE⌋ ≤ 2^31 − 1: int32 throughout.
            string factor = g.Node("Div", g.Scalar($"{name}_one", checked((int)table.ReciprocalNumerator)), sum);
            probabilities = g.Node("Div", g.Node("Mul", exp, factor), g.Scalar($"{name}_out", checked((int)table.OutputDivisor)));
        }
        else
        {
            string factor = g.Node("Div", g.Scalar($"{name}_one", table.ReciprocalNumerator), g.Node("Cast", [sum], To(TensorElementType.Int64)));
            string scaled = g.Node("Cast", [g.Node("Mul", g.Node("Cast", [exp], To(TensorElementType.Int64)), factor)], To(TensorElementType.UInt64));
            probabilities = g.ShiftRight(scaled, table.OutputShift, $"{name}_out");
        }

        return g.Node("Cast", [probabilities], To(table.OutputBits <= 9 ? TensorElementType.UInt8 : TensorElementType.Int32));
    }

    /// <summary>
    /// Σ over the last axis (keeping it, length 1) as a MatMul with a column of ones: exact for
    /// integers, and ONNX Runtime's integer MatMul is 4–7× faster than its integer ReduceSum over
    /// rows of 31–64 values (0.25 vs 1.0 ns per element in int32, 0.6 vs 4.0 in int64, one thread).
    /// </summary>
    public static string RowSum(this OnnxGraphBuilder g, string values, int rowLength, TensorElementType type, string name = "sum")
    {
        ArgumentNullException.ThrowIfNull(g);
        string ones = type switch
        {
            TensorElementType.Int32 => g.Initializer<int>($"{name}_ones", [.. Enumerable.Repeat(1, rowLength)], rowLength, 1),
            TensorElementType.Int64 => g.Initializer<long>($"{name}_ones", [.. Enumerable.Repeat(1L, rowLength)], rowLength, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Row sums are int32 or int64."),
        };
        return g.Node("MatMul", values, ones);
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
        string mean = g.Node("Div", g.RowSum(residual, norm.Width, TensorElementType.Int32, $"{name}_mean"), g.Scalar($"{name}_d32", norm.Width));
        string centred = g.Node("Sub", residual, mean);
        string wide = g.Node("Cast", [centred], To(TensorElementType.Int64));
        string squares = g.RowSum(g.Node("Mul", wide, wide), norm.Width, TensorElementType.Int64, $"{name}_var");
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

        // n = c·⌊2^F/σ⌋ fits int32 (|n| < √D·2^(F+1), IntegerLayerNorm.NormalizedBound); n' = trunc(n/2^s)
        // keeps the per-channel output stage in int32 too.
        string factor = g.Node("Cast", [g.Node("Div", g.Scalar($"{name}_unit", 1L << IntegerLayerNorm.FractionBits), sigma)], To(TensorElementType.Int32));
        string normalised = g.Node("Mul", centred, factor);
        if (norm.NormShift > 0)
        {
            normalised = g.Node("Div", normalised, g.Scalar($"{name}_norm_div", 1 << norm.NormShift));
        }

        string affine = g.Node("Add",
            g.Node("Mul", normalised, g.Initializer<int>($"{name}_gain", [.. norm.Gains.Select(v => checked((int)v))], norm.Width)),
            g.Initializer<int>($"{name}_bias", [.. norm.Biases.Select(v => checked((int)v))], norm.Width));
        string quotient = g.Node("Div", affine, g.Scalar($"{name}_div", checked(1 << norm.Shift)));
        string clipped = g.Node("Clip", quotient, g.Scalar($"{name}_lo", checked((int)(norm.Offset - 128))), g.Scalar($"{name}_hi", checked((int)(norm.Offset + 127))));
        return g.Node("Cast", [clipped], To(TensorElementType.UInt8));
    }
}
