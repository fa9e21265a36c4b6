using System.Collections.Concurrent;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// Tensor arithmetic with process-lifetime scalars. TorchSharp turns numeric arguments, and the
/// implicit alpha of <c>a + b</c>, into temporary <see cref="Scalar"/>s the collector may finalize
/// while native code still reads them (random "Unknown scalar type" crashes; see
/// <c>Training.TorchScalars</c>). The simulation runs over whole nights at export, so it passes cached
/// scalars only. The set of constants is small and bounded (a model's shifts, offsets, zero points).
/// </summary>
internal static class Scalars
{
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();
    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();

    /// <summary>The alpha of additions: integral, which both integer and float tensors accept.</summary>
    public static readonly Scalar One = 1L.ToScalar();

    public static Scalar Of(long value) => Integers.GetOrAdd(value, static v => v.ToScalar());

    public static Scalar Of(double value) => Reals.GetOrAdd(value, static v => v.ToScalar());

    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    public static Tensor Plus(this Tensor a, long b) => a.add(Of(b), One);

    public static Tensor Minus(this Tensor a, Tensor b) => a.sub(b);

    public static Tensor Minus(this Tensor a, long b) => a.sub(Of(b));

    public static Tensor MinusReal(this Tensor a, double b) => a.sub(Of(b));

    public static Tensor Times(this Tensor a, double b) => a.mul(Of(b));

    /// <summary>ONNX Runtime's integer Div: truncation toward zero.</summary>
    public static Tensor TruncDiv(this Tensor a, long b) => a.div(Of(b), RoundingMode.trunc);

    public static Tensor TruncDiv(this Tensor a, Tensor b) => a.div(b, RoundingMode.trunc);

    public static Tensor Clamp(this Tensor a, long low, long high) => a.clamp(Of(low), Of(high));

    public static Tensor Filled(Tensor like, long value) => full_like(like, Of(value));
}
