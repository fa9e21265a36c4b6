using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// The renderer's input for one epoch: each derivation's 30 s of samples, derivation after
/// derivation. The trainer and the scorer both cut epochs with it, so a model sees the same
/// samples in training and in service.
/// </summary>
public static class EpochSamples
{
    /// <summary>Copies epoch <paramref name="epoch"/> of every signal into <paramref name="destination"/>; zeros past the end of a signal.</summary>
    public static void Gather(float[][] signals, int epoch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (destination.Length < signals.Length * ConditionedEpoch.Samples)
        {
            throw new ArgumentException($"{signals.Length} signals need {signals.Length * ConditionedEpoch.Samples} samples; the destination holds {destination.Length}.", nameof(destination));
        }

        for (int b = 0; b < signals.Length; b++)
        {
            Cut(signals[b], epoch, destination.Slice(b * ConditionedEpoch.Samples, ConditionedEpoch.Samples));
        }
    }

    /// <summary>Copies epoch <paramref name="epoch"/> of one signal into <paramref name="target"/> (<see cref="ConditionedEpoch.Samples"/> samples); zeros past its end.</summary>
    public static void Cut(float[] signal, int epoch, Span<float> target)
    {
        ArgumentNullException.ThrowIfNull(signal);
        Cut(DerivationWindow.Whole([signal]), 0, epoch, target);
    }

    /// <summary>Copies epoch <paramref name="epoch"/> of derivation <paramref name="d"/> of a window into <paramref name="target"/>; zeros past the derivation's end.</summary>
    public static void Cut(DerivationWindow window, int d, int epoch, Span<float> target)
    {
        ArgumentNullException.ThrowIfNull(window);
        long from = (long)epoch * ConditionedEpoch.Samples;
        int available = (int)Math.Clamp(window.Lengths[d] - from, 0, ConditionedEpoch.Samples);
        window.Slice(d, Math.Min(from, window.Lengths[d]), available).CopyTo(target);
        target[available..ConditionedEpoch.Samples].Clear();
    }
}
