using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// The min/max envelope of one derivation per pixel column, as inclusive image-row ranges. Shared
/// by the SkiaSharp renderer and the direct rasteriser so both light exactly the same pixels.
/// </summary>
internal static class ColumnEnvelope
{
    /// <summary>
    /// Fills <paramref name="firstRow"/>/<paramref name="lastRow"/> (one entry per plot column) with
    /// the rows the samples of each column reach. Each column's range also includes the row of the
    /// previous column's last sample, which joins neighbouring columns like a polyline would.
    /// A column with no sample (more columns than samples) repeats the previous sample's row.
    /// </summary>
    public static void Compute(EpochGeometry geometry, int derivation, ReadOnlySpan<float> samples, Span<int> firstRow, Span<int> lastRow)
    {
        int width = geometry.PlotWidth;
        int count = geometry.SamplesPerEpoch;
        if (samples.Length != count)
        {
            throw new ArgumentException($"Derivation {derivation} has {samples.Length} samples; the geometry expects {count}.", nameof(samples));
        }

        // Row mapping is monotonic in µV, so the min/max µV of a column give its row range.
        // Rows grow downward and µV grows downward (negative up), so min µV → first row.
        float previousLast = float.IsNaN(samples[0]) ? 0f : samples[0];
        int sample = 0;
        for (int column = 0; column < width; column++)
        {
            // Samples i with ⌊i·W/S⌋ == column: i < ⌈(column+1)·S/W⌉.
            int end = (int)((((long)(column + 1) * count) + width - 1) / width);
            float min = previousLast;
            float max = previousLast;
            for (; sample < end; sample++)
            {
                float value = samples[sample];
                if (float.IsNaN(value))
                {
                    value = 0f;
                }

                min = MathF.Min(min, value);
                max = MathF.Max(max, value);
                previousLast = value;
            }

            firstRow[column] = geometry.MicrovoltsToRow(derivation, min);
            lastRow[column] = geometry.MicrovoltsToRow(derivation, max);
        }
    }
}
