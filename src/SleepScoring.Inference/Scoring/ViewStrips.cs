using System.Collections.Concurrent;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;

namespace SleepScoring.Inference.Scoring;

/// <summary>
/// The unscaled view strips (<see cref="Rendering.ModelImage.EpochViews.GatherUnscaled"/>) of sample
/// epochs, per derivation store and epoch, kept while adaptive sensing searches: candidates that
/// differ only by gain, or put the same derivation in another slot, draw from them without reading
/// and band-pass filtering the epoch again (that was nearly all of the rendering time). Scaling them
/// gives the same strips bit for bit. Safe for the encoder's workers side by side.
/// </summary>
internal sealed class ViewStrips(int viewsPerDerivation)
{
    private readonly ConcurrentDictionary<(SampleStore<float> Store, int Epoch), float[]> kept = new();

    private int DerivationSamples => viewsPerDerivation * ConditionedEpoch.Samples;

    /// <summary>Fills <paramref name="unscaled"/> with every slot's kept strips of <paramref name="epoch"/>; false (and nothing reliable written) when one is missing.</summary>
    public bool TryFill(SampleStore<float>[] slots, int epoch, Span<float> unscaled)
    {
        for (int d = 0; d < slots.Length; d++)
        {
            if (!kept.TryGetValue((slots[d], epoch), out float[]? strips))
            {
                return false;
            }

            strips.CopyTo(unscaled.Slice(d * DerivationSamples, DerivationSamples));
        }

        return true;
    }

    /// <summary>Keeps each slot's strips of <paramref name="epoch"/> from <paramref name="unscaled"/>.</summary>
    public void Keep(SampleStore<float>[] slots, int epoch, ReadOnlySpan<float> unscaled)
    {
        for (int d = 0; d < slots.Length; d++)
        {
            kept.TryAdd((slots[d], epoch), unscaled.Slice(d * DerivationSamples, DerivationSamples).ToArray());
        }
    }
}
