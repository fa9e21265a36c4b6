using SleepScoring.Training.Data;

namespace SleepScoring.Training.Training;

/// <summary>
/// Training-time loss of a derivation, so one model scores a study with either EEG band missing:
/// with probability <see cref="Probability"/> a sample is drawn with one derivation (chosen
/// uniformly) as the silent trace (<see cref="SilentDerivation"/>), exactly what inference draws
/// for a montage without it. Stage 1 draws per epoch image; stage 2 per window of embeddings
/// (the whole window from the same montage, as a night is recorded). Each choice is a pure
/// function of (seed, pass, sample), so a resumed run draws what an uninterrupted one does.
/// </summary>
/// <param name="Seed">Seed of the choices.</param>
/// <param name="Probability">Chance that a sample loses one derivation.</param>
/// <param name="Silent">The silent rows of the model image.</param>
public sealed record DerivationDropout(ulong Seed, double Probability, SilentDerivation Silent)
{
    /// <summary>Salt that keeps these draws independent of the time augmentation's, which share the seed.</summary>
    private const ulong Salt = 0xD1B54A32D192ED03UL;

    /// <summary>
    /// The derivation sample <paramref name="sample"/> loses in pass <paramref name="pass"/>, or −1
    /// when it keeps them all.
    /// </summary>
    public int Dropped(int pass, int sample)
    {
        var random = new SeededRandom(Seed ^ Salt ^ ((ulong)(uint)pass << 32) ^ (uint)sample);
        random.NextUInt64();
        return random.NextDouble() < Probability ? random.NextInt(Silent.Derivations) : -1;
    }

    /// <summary>Silences the drawn derivation of each sample in place: <paramref name="pixels"/> holds the samples' images one after the other.</summary>
    public void Apply(Span<byte> pixels, ReadOnlySpan<int> samples, int pass)
    {
        int size = Silent.ImageBytes;
        for (int i = 0; i < samples.Length; i++)
        {
            int dropped = Dropped(pass, samples[i]);
            if (dropped >= 0)
            {
                Silent.Silence(pixels.Slice(i * size, size), dropped);
            }
        }
    }
}
