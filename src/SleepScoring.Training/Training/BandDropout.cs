using SleepScoring.Training.Data;

namespace SleepScoring.Training.Training;

/// <summary>
/// Training-time loss of the fast bands, so a model that reads a muscle view (30–45 Hz) still
/// scores a study sampled at 50 Hz, whose conditioned signal holds nothing above 25 Hz: with
/// probability <see cref="Probability"/> a stage-1 image, or a stage-2 window (the whole window, as a
/// night is recorded), is drawn with <see cref="Views"/> of every derivation silent — what such a
/// study's views draw (and nearly what a 35-Hz hardware filter leaves of a 30–45 Hz view). Each choice is a pure function of
/// (seed, pass, sample), so a resumed run draws what an uninterrupted one does.
/// </summary>
/// <param name="Seed">Seed of the choices.</param>
/// <param name="Probability">Chance that a sample loses the bands.</param>
/// <param name="Silent">The silent rows of the model image.</param>
/// <param name="Views">The views silenced (indices among a derivation's views, the trace 0).</param>
public sealed record BandDropout(ulong Seed, double Probability, SilentDerivation Silent, IReadOnlyList<int> Views)
{
    /// <summary>Salt that keeps these draws independent of derivation dropout's and the time augmentation's, which share the seed.</summary>
    private const ulong Salt = 0x9E3779B97F4A7C15UL;

    /// <summary>Whether sample <paramref name="sample"/> loses the bands in pass <paramref name="pass"/>.</summary>
    public bool Dropped(int pass, int sample)
    {
        var random = new SeededRandom(Seed ^ Salt ^ ((ulong)(uint)pass << 32) ^ (uint)sample);
        random.NextUInt64();
        return random.NextDouble() < Probability;
    }

    /// <summary>Silences the views of each drawn sample in place: <paramref name="pixels"/> holds the samples' images one after the other.</summary>
    public void Apply(Span<byte> pixels, ReadOnlySpan<int> samples, int pass)
    {
        int size = Silent.ImageBytes;
        for (int i = 0; i < samples.Length; i++)
        {
            if (Dropped(pass, samples[i]))
            {
                Silence(pixels.Slice(i * size, size));
            }
        }
    }

    /// <summary>Silences the views of every image in <paramref name="pixels"/> (images one after the other).</summary>
    public void Silence(Span<byte> pixels)
    {
        int size = Silent.ImageBytes;
        for (int at = 0; at + size <= pixels.Length; at += size)
        {
            for (int derivation = 0; derivation < Silent.Derivations; derivation++)
            {
                foreach (int view in Views)
                {
                    Silent.SilenceView(pixels.Slice(at, size), derivation, view);
                }
            }
        }
    }
}
