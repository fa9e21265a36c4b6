using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.Clinician;

/// <summary>Checks and reads a relevance grid [derivation, time segment] with values in [0, 1].</summary>
internal static class SaliencyGrid
{
    /// <summary>Throws when the grid's shape does not fit the geometry; names the dimension and sizes.</summary>
    public static void CheckShape(float[,] relevance, EpochGeometry geometry)
    {
        if (relevance.GetLength(0) != geometry.DerivationCount)
        {
            throw new ArgumentException(
                $"The relevance grid has {relevance.GetLength(0)} row(s); it needs one per derivation ({geometry.DerivationCount}).",
                nameof(relevance));
        }

        int segments = relevance.GetLength(1);
        if (segments < 1 || segments > geometry.PlotWidth)
        {
            throw new ArgumentException(
                $"The relevance grid has {segments} time segment(s); it needs 1 to {geometry.PlotWidth} (one pixel column each at most).",
                nameof(relevance));
        }
    }

    /// <summary>The cell's relevance clamped to [0, 1]; NaN counts as 0 (no evidence).</summary>
    public static float Read(float[,] relevance, int derivation, int segment)
    {
        float value = relevance[derivation, segment];
        return float.IsNaN(value) ? 0f : Math.Clamp(value, 0f, 1f);
    }
}
