using SleepScoring.Analysis.Signals;

namespace SleepScoring.Inference.Scoring;

/// <summary>
/// What the model's image is drawn from: one conditioned signal (µV, 100 Hz) per EEG slot of the
/// model, in strip order — empty for a slot the study does not fill, which draws as a silent trace —
/// and the gain each is drawn at. The signals are stores (in memory or in files): the encoder reads
/// a batch of epochs at a time, never a whole night.
/// </summary>
/// <param name="Slots">Per slot, the whole night's samples, or an empty store.</param>
/// <param name="Gains">Per slot, the factor the samples are multiplied by before drawing.</param>
/// <param name="BandEdge">The narrow band they are drawn in (views at or above it silent), when it differs from the study's: a sensing low-pass the model was trained to read so; null: the study's.</param>
public sealed record SlotSignals(SampleStore<float>[] Slots, float[] Gains, double? BandEdge = null)
{
    /// <summary>An empty slot: draws as a silent trace.</summary>
    public static SampleStore<float> Silent { get; } = new MemoryStore<float>(0);

    /// <summary>The slots at gain 1.</summary>
    public static SlotSignals Plain(SampleStore<float>[] slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        return new SlotSignals(slots, [.. slots.Select(_ => 1f)]);
    }

    /// <summary>Night arrays at gain 1 (an empty array is a silent slot).</summary>
    public static SlotSignals Plain(float[][] slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        return Plain([.. slots.Select(s => (SampleStore<float>)new MemoryStore<float>(s))]);
    }
}
