namespace SleepScoring.Rendering.Geometry;

/// <summary>Checks the shape of an epoch and a destination buffer against a geometry.</summary>
internal static class EpochInput
{
    public static void Check(EpochGeometry geometry, ReadOnlySpan<float> epoch, Span<byte> destination)
    {
        CheckEpoch(geometry, epoch);
        int bytes = geometry.PlotWidth * geometry.PlotHeight;
        if (destination.Length < bytes)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; one image needs {bytes}.", nameof(destination));
        }
    }

    /// <summary>Throws unless the epoch holds DerivationCount × SamplesPerEpoch samples; the message names both counts.</summary>
    public static void CheckEpoch(EpochGeometry geometry, ReadOnlySpan<float> epoch)
    {
        int expected = geometry.DerivationCount * geometry.SamplesPerEpoch;
        if (epoch.Length != expected)
        {
            throw new ArgumentException(
                $"The epoch holds {epoch.Length} samples; expected {geometry.DerivationCount} derivation(s) × {geometry.SamplesPerEpoch} = {expected}.",
                nameof(epoch));
        }
    }
}
