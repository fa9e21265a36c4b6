namespace SleepScoring.Onnx.Integer;

/// <summary>
/// What the integer graph's exponential and GELU lookup tables hold. Either way the graph does the
/// same single Gather on an integer index; only the constants differ, and they are computed when
/// the model is quantized, never at run time.
/// </summary>
public enum FunctionTables
{
    /// <summary>
    /// I-ViT's shift-and-add formulas (Shiftmax's exponential, ShiftGELU); the default. Measured
    /// against <see cref="Exact"/> on two cross-validation folds, they agree with the float model as
    /// often or slightly more often (96.6 vs 96.3 %, 97.1 vs 97.0 %): the approximation is not where
    /// the integer model departs from the float one.
    /// </summary>
    IVitShifts,

    /// <summary>
    /// The real function at each integer input, rounded to the output grid: e^(−d·S) for Shiftmax,
    /// x·Φ(x) for GELU, without I-ViT's approximation error (up to 6 % per attention weight).
    /// </summary>
    Exact,
}
