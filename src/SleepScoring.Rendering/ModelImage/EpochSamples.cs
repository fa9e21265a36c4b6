namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// The renderer's input for one epoch: each derivation's 30 s of samples, derivation after
/// derivation. The trainer and the scorer both cut epochs with it, so a model sees the same
/// samples in training and in service.
/// </summary>
public static class EpochSamples
{
    /// <summary>Samples per 30-s epoch at the model rate (100 Hz).</summary>
    public const int PerEpoch = 3000;

    /// <summary>Copies epoch <paramref name="epoch"/> of every band into <paramref name="destination"/>; zeros past the end of a signal.</summary>
    public static void Gather(float[][] bands, int epoch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(bands);
        if (destination.Length < bands.Length * PerEpoch)
        {
            throw new ArgumentException($"{bands.Length} bands need {bands.Length * PerEpoch} samples; the destination holds {destination.Length}.", nameof(destination));
        }

        for (int b = 0; b < bands.Length; b++)
        {
            Cut(bands[b], epoch, destination.Slice(b * PerEpoch, PerEpoch));
        }
    }

    /// <summary>Copies epoch <paramref name="epoch"/> of one signal into <paramref name="target"/> (<see cref="PerEpoch"/> samples); zeros past its end.</summary>
    public static void Cut(float[] signal, int epoch, Span<float> target)
    {
        ArgumentNullException.ThrowIfNull(signal);
        Cut(BandWindow.Whole([signal]), 0, epoch, target);
    }

    /// <summary>Copies epoch <paramref name="epoch"/> of derivation <paramref name="d"/> of a window into <paramref name="target"/>; zeros past the derivation's end.</summary>
    public static void Cut(BandWindow window, int d, int epoch, Span<float> target)
    {
        ArgumentNullException.ThrowIfNull(window);
        long from = (long)epoch * PerEpoch;
        int available = (int)Math.Clamp(window.Lengths[d] - from, 0, PerEpoch);
        window.Slice(d, Math.Min(from, window.Lengths[d]), available).CopyTo(target);
        target[available..PerEpoch].Clear();
    }
}
