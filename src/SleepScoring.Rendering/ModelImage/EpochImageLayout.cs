using SleepScoring.Analysis.Conditioning;
using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// A named model-image geometry: strip height and width in pixels and the amplitude scale. The
/// number of strips follows the number of derivations, so "small" with the two EEG derivations is
/// a 64 × 300 image. The trainer compares the presets and keeps the one that scores best.
/// </summary>
/// <param name="Name">Preset name used on the command line and in model metadata.</param>
/// <param name="Width">Image width in pixels (columns over the 30-s epoch).</param>
/// <param name="StripHeight">Rows per derivation strip.</param>
/// <param name="MicrovoltsPerHalfStrip">Amplitude at a strip's edge rows; beyond is clipped.</param>
public sealed record EpochImageLayout(string Name, int Width, int StripHeight, float MicrovoltsPerHalfStrip = 100f)
{
    /// <summary>32-row strips, 300 columns (1 column per 100 ms = 10 samples at 100 Hz).</summary>
    public static EpochImageLayout Small { get; } = new("small", 300, 32);

    /// <summary>48-row strips, 480 columns (1 column per 62.5 ms).</summary>
    public static EpochImageLayout Medium { get; } = new("medium", 480, 48);

    /// <summary>64-row strips, 750 columns (1 column per 40 ms = 4 samples at 100 Hz).</summary>
    public static EpochImageLayout Large { get; } = new("large", 750, 64);

    /// <summary>Every named preset, smallest first.</summary>
    public static IReadOnlyList<EpochImageLayout> Presets { get; } = [Small, Medium, Large];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No preset has that name; the message lists the names.</exception>
    public static EpochImageLayout FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (EpochImageLayout preset in Presets)
        {
            if (string.Equals(preset.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return preset;
            }
        }

        throw new ArgumentException($"Unknown image geometry '{name}'; known: {string.Join(", ", Presets.Select(p => p.Name))}.", nameof(name));
    }

    /// <summary>The geometry of an image with one strip per derivation and no margins.</summary>
    public EpochGeometry CreateGeometry(int derivationCount, int samplesPerEpoch = ConditionedEpoch.Samples, double epochSeconds = ConditionedEpoch.Length) =>
        new(derivationCount, Width, StripHeight, MicrovoltsPerHalfStrip, samplesPerEpoch, epochSeconds);
}
