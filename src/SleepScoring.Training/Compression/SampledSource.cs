using SleepScoring.Training.Metrics;
using SleepScoring.Training.Training;

using static TorchSharp.torch;

namespace SleepScoring.Training.Compression;

/// <summary>
/// A fixed, seeded random subset of another source's training samples (same validation): one pass
/// over it is a fine-tune of a chosen number of steps instead of a full pass.
/// </summary>
public sealed class SampledSource : ITrainingSource
{
    private readonly ITrainingSource inner;
    private readonly int[] samples;

    /// <summary>At most <paramref name="count"/> samples of <paramref name="inner"/>, drawn with <paramref name="seed"/>.</summary>
    public SampledSource(ITrainingSource inner, int count, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        this.inner = inner;
        int[] all = [.. Enumerable.Range(0, inner.TrainingCount)];
        new SeededRandom(seed).Shuffle(all.AsSpan());
        samples = all[..Math.Min(count, all.Length)];
    }

    /// <inheritdoc />
    public int TrainingCount => samples.Length;

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) TrainingBatch(ReadOnlySpan<int> indices)
    {
        int[] mapped = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            mapped[i] = samples[indices[i]];
        }

        return inner.TrainingBatch(mapped);
    }

    /// <inheritdoc />
    public long[] TrainingStageCounts() => inner.TrainingStageCounts();

    /// <inheritdoc />
    public void BeginPass(int pass) => inner.BeginPass(pass);

    /// <inheritdoc />
    public ConfusionMatrix Validate(nn.Module<Tensor, Tensor> model) => inner.Validate(model);
}
