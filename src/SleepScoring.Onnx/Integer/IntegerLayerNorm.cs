namespace SleepScoring.Onnx.Integer;

/// <summary>
/// I-LayerNorm (I-BERT/I-ViT) over the last axis of a 16-bit residual stream, output as an 8-bit
/// activation (uint8, zero point 128) ready for the next MatMulInteger:
/// mean and variance in integers (ONNX Runtime's truncating Div), σ = ⌊√var⌋ by Newton from a
/// bracketing start (<see cref="IntegerMath.SqrtStart"/>), n = y·⌊2^F/σ⌋ ≈ (y/σ)·2^F, and γ, β folded into one per-channel dyadic output stage:
/// q = ⌊(n·G_c + B_c) / 2^E⌋.
/// </summary>
public sealed class IntegerLayerNorm
{
    /// <summary>F: fixed-point bits of the normalised value.</summary>
    public const int FractionBits = 24;

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
        Shift = FractionBits + (Dyadic.MantissaBits - 1) - (int)Math.Floor(Math.Log2(largest));
        Gains = gamma.Select(g => (long)Math.Round(g / outputScale * Math.Pow(2, Shift - FractionBits))).ToArray();

        // |n| ≤ √D·2^F·(1 + 1/σ) ≤ 2√D·2^F; K keeps n·G + B non-negative for every input.
        long normBound = (long)Math.Ceiling(2 * Math.Sqrt(Width)) << FractionBits;
        long biasBound = (long)Math.Ceiling(beta.Max(Math.Abs) / outputScale) + 1;
        long k = ((normBound * Gains.Max(Math.Abs)) >> Shift) + biasBound + 2;
        k += ((128 - k) % 256 + 256) % 256;
        Offset = k;
        if ((2 * k) + 256 > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(outputScale), outputScale, "The layer norm's output stage does not fit int32 after its shift.");
        }

        Biases = beta.Select(b => (long)Math.Round(b / outputScale * Math.Pow(2, Shift)) + (1L << (Shift - 1)) + (k << Shift)).ToArray();
    }

    /// <summary>
    /// |n| = |c|·⌊2^F/σ⌋ &lt; √D·2^(F+1) for D channels: Σc² &lt; D·(var + 1) ≤ D·(σ + 1)² gives
    /// |c| &lt; √D·(σ + 1), and (σ + 1)/σ ≤ 2. Below 2^31 the graph multiplies in int32.
    /// </summary>
    public static long NormalizedBound(int width) => (long)Math.Ceiling(Math.Sqrt(width) * (1L << (FractionBits + 1)));

    /// <summary>D: channels normalised together.</summary>
    public int Width { get; }

    /// <summary>E.</summary>
    public int Shift { get; }

    /// <summary>G_c = round(γ_c / S_out · 2^(E−F)).</summary>
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
            long n = (row[c] - mean) * factor;
            long v = ((n * Gains[c]) + Biases[c]) / (1L << Shift);
            output[c] = (byte)Math.Clamp(v - Offset + 128, 0, 255);
        }
    }
}
