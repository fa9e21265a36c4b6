using TorchSharp;

namespace SleepScoring.Training.Training;

/// <summary>
/// Scalars that live for the whole process. TorchSharp turns numeric arguments (including the
/// implicit alpha of <c>a + b</c> and <c>add_(s)</c>) into temporary <see cref="Scalar"/> objects
/// that the collector may finalize while the native call still reads them — seen here as random
/// "Unknown scalar type" crashes after thousands of steps. Hot paths pass these instead.
/// </summary>
internal static class TorchScalars
{
    /// <summary>The scalar 1 (the alpha of a plain addition).</summary>
    public static readonly Scalar One = 1.0.ToScalar();
}