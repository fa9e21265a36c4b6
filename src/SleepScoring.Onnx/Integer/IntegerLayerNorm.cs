namespace SleepScoring.Onnx.Integer;

/// <summary>
/// I-LayerNorm (I-BERT/I-ViT) over the last axis of a 16-bit residual stream, output as an 8-bit
/// activation (uint8, zero point 128) ready for the next MatMulInteger, in int32 throughout but the
/// variance: integer mean and variance (ONNX Runtime's truncating Div), σ = ⌊√var⌋ by Newton from a
/// bracketing start (<see cref="IntegerMath.SqrtStart"/>), n = c·⌊2^F/σ⌋ ≈ (c/σ)·2^F, brought to
/// n' = trunc(n / 2^s) so that γ and β fold into one per-channel int32 output stage
/// q = ⌊(n'·G_c + B_c) / 2^E⌋ with <see cref="GainBits"/>-bit gains (absolute error ≤ 2^−(GainBits+1)
/// of the largest output).
/// </summary>
public sealed class IntegerLayerNorm
{
    /// <summary>F: fixed-point bits of the normalised value.</summary>
    public const int FractionBits = 24;

    /// <summary>Significant bits of the largest gain |G_c|.</summary>
    public const int GainBits = 12;

    public IntegerLayerNorm(IReadOnlyList<double> gamma, IReadOnlyList<double> beta, double outputScale)
    {
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        if (gamma.Count != beta.Count || gamma.Count == 0)
        {
            throw new ArgumentException("gamma and beta must have the same, non-zero length.", nameof(beta));
        }

        Width = gamma.Count;
        if (NormalizedBound(Width) > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), Width, "The normalised values of so wide a layer norm do not fit int32.");
        }

        double largest = Math.Max(gamma.Max(Math.Abs), 1e-6) / outputScale;
        int gainExponent = GainBits - 1 - (int)Math.Floor(Math.Log2(largest));
        Gains = gamma.Select(g => (long)Math.Round(g / outputScale * Math.Pow(2, gainExponent))).ToArray();
        long gainBound = Gains.Max(Math.Abs);
        long biasBound = (long)Math.Ceiling(beta.Max(Math.Abs) / outputScale) + 1;

        // The smallest s whose output stage provably stays below 2^31: |n'| < ⌈bound/2^s⌉, and K keeps n'·G + B ≥ 0.
        for (int s = 0; s < FractionBits + gainExponent; s++)
        {
            int shift = FractionBits + gainExponent - s;
            long normBound = (NormalizedBound(Width) >> s) + 1;
            long k = ((normBound * gainBound) >> shift) + biasBound + 2;
            k += ((128 - k) % 256 + 256) % 256;
            long[] biases = beta.Select(b => (long)Math.Round(b / outputScale * Math.Pow(2, shift)) + (1L << (shift - 1)) + (k << shift)).ToArray();
            if ((normBound * gainBound) + biases.Max() + (255L << shift) <= int.MaxValue)
            {
                (NormShift, Shift, Offset, Biases) = (s, shift, k, biases);
                return;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(outputScale), outputScale, "The layer norm's output stage does not fit int32.");
    }

    /// <summary>
    /// |n| = |c|·⌊2^F/σ⌋ &lt; √D·2^(F+1) for D channels: Σc² &lt; D·(var + 1) ≤ D·(σ + 1)² gives
    /// |c| &lt; √D·(σ + 1), and (σ + 1)/σ ≤ 2. Below 2^31 the graph multiplies in int32.
    /// </summary>
    public static long NormalizedBound(int width) => (long)Math.Ceiling(Math.Sqrt(width) * (1L << (FractionBits + 1)));

    /// <summary>D: channels normalised together.</summary>
    public int Width { get; }

    /// <summary>s: n' = trunc(n / 2^s).</summary>
    public int NormShift { get; }

    /// <summary>E.</summary>
    public int Shift { get; }

    /// <summary>G_c = round(γ_c / S_out · 2^(E+s−F)).</summary>
    public IReadOnlyList<long> Gains { get; }

    /// <summary>B_c = round(β_c / S_out · 2^E) + 2^(E−1) + K·2^E.</summary>
    public IReadOnlyList<long> Biases { get; }

    /// <summary>K, ≡ 128 (mod 256) so that the wrap of the final Cast to uint8 subtracts it.</summary>
    public long Offset { get; }

    /// <summary>Reference: one row of the residual stream (|r| &lt; 2^15) to uint8 activations.</summary>
    public void Apply(ReadOnlySpan<int> row, Span<byte> output)
    {
        if (row.Length != Width)
        {
            throw new ArgumentException($"Row of {row.Length} values for a layer norm of width {Width}.", nameof(row));
        }

        long sum = 0;
        foreach (int r in row)
        {
            sum += r;
        }

        long mean = IntegerMath.TruncDiv(sum, Width);
        long squares = 0;
        foreach (int r in row)
        {
            squares += (r - mean) * (r - mean);
        }

        long variance = Math.Max(IntegerMath.TruncDiv(squares, Width), 1);
        long sigma = IntegerMath.Sqrt(variance);
        long factor = (1L << FractionBits) / sigma;
        for (int c = 0; c < Width; c++)
        {
            long n = IntegerMath.TruncDiv((row[c] - mean) * factor, 1L << NormShift);
            long v = ((n * Gains[c]) + Biases[c]) / (1L << Shift);
            output[c] = (byte)Math.Clamp(v - Offset + 128, 0, 255);
        }
    }
}
