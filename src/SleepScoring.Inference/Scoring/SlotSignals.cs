namespace SleepScoring.Inference.Scoring;

/// <summary>
/// What the model's image is drawn from: one conditioned signal (µV, 100 Hz) per EEG slot of the
/// model, in strip order — empty for a slot the study does not fill, which draws as a silent trace —
/// and the gain each is drawn at.
/// </summary>
/// <param name="Slots">Per slot, the whole night's samples, or an empty array.</param>
/// <param name="Gains">Per slot, the factor the samples are multiplied by before drawing.</param>
public sealed record SlotSignals(float[][] Slots, float[] Gains)
{
    /// <summary>The slots at gain 1.</summary>
    public static SlotSignals Plain(float[][] slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        return new SlotSignals(slots, [.. slots.Select(_ => 1f)]);
    }
}
