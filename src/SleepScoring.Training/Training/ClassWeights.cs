namespace SleepScoring.Training.Training;

/// <summary>How the training loss weighs the stage classes.</summary>
public enum ClassWeighting
{
    /// <summary>Every epoch counts the same (plain cross-entropy).</summary>
    None,

    /// <summary>w_c = N / (K · n_c): every present class carries the same total weight.</summary>
    Balanced,

    /// <summary>The square root of the balanced weights: rare classes helped, common ones not drowned.</summary>
    SquareRootBalanced,
}

/// <summary>
/// Cross-entropy class weights from training counts: w_c = N / (K · n_c) ("balanced"), so each
/// present class carries the same total weight and rare N1 is not ignored. A class absent from
/// training gets weight 0 (it has no examples to weigh).
/// </summary>
public static class ClassWeights
{
    /// <summary>The weights of <paramref name="weighting"/> for <paramref name="counts"/> (one per class).</summary>
    public static float[] For(ClassWeighting weighting, ReadOnlySpan<long> counts) => weighting switch
    {
        ClassWeighting.None => Enumerable.Repeat(1f, counts.Length).ToArray(),
        ClassWeighting.Balanced => Balanced(counts),
        ClassWeighting.SquareRootBalanced => Balanced(counts).Select(w => MathF.Sqrt(w)).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(weighting), weighting, "Unknown class weighting."),
    };

    /// <summary>Balanced weights for <paramref name="counts"/> (one per class).</summary>
    public static float[] Balanced(ReadOnlySpan<long> counts)
    {
        long total = 0;
        int present = 0;
        foreach (long count in counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
            total += count;
            present += count > 0 ? 1 : 0;
        }

        if (total == 0)
        {
            throw new ArgumentException("No training examples: every class count is zero.", nameof(counts));
        }

        var weights = new float[counts.Length];
        for (int c = 0; c < counts.Length; c++)
        {
            weights[c] = counts[c] == 0 ? 0f : (float)(total / ((double)present * counts[c]));
        }

        return weights;
    }
}
