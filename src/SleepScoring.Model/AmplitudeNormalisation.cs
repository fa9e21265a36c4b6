namespace SleepScoring.Model;

/// <summary>
/// How a model's input is brought to one loudness per night: each EEG derivation is scaled so that
/// a quantile of its epoch amplitudes (the median |x| of each scorable epoch, µV, over the night's
/// sleep span) equals the slot's target. Training draws every night so and scoring does the same, so
/// a gain on the recording (an amplifier, a referential montage's larger amplitudes) cancels, and
/// relative amplitude within a night — what separates N3 from N2 — is kept.
/// </summary>
/// <param name="Quantile">The quantile of the night's epoch amplitudes matched (0–1).</param>
/// <param name="TargetMicrovolts">Per model derivation (the card's order), the amplitude that quantile is brought to.</param>
public sealed record AmplitudeNormalisation(double Quantile, IReadOnlyList<double> TargetMicrovolts)
{
    /// <summary>
    /// Measured over the recording's scorable epochs (its lights period when known) rather than its
    /// sleep span, at training and scoring alike: a span the scorer finds with the model itself moved
    /// the gains with the model's own reading (held-out nights normalised ×0.58–×1.09 read at 48–82 %).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool OverRecording { get; init; }

    /// <summary>Smallest and largest gain a normalisation applies (a night 5× quieter or louder than training is not a gain to undo, but a fault).</summary>
    public const float MinimumGain = 0.2f, MaximumGain = 5f;

    /// <summary>
    /// The gain for derivation <paramref name="slot"/> of night amplitude <paramref name="amplitude"/>
    /// (µV, at <see cref="Quantile"/>): target ÷ amplitude within ×0.2–×5, to 3 decimals; 1 when unknown.
    /// </summary>
    public float Gain(int slot, double? amplitude) =>
        amplitude is > 0 and double a && slot >= 0 && slot < TargetMicrovolts.Count
            ? Math.Clamp(MathF.Round((float)(TargetMicrovolts[slot] / a), 3), MinimumGain, MaximumGain)
            : 1f;

    /// <summary>Checks what a card read from disk may get wrong.</summary>
    /// <exception cref="ModelFileException">A field is out of range; the message names it.</exception>
    public void Validate(int derivations)
    {
        if (!(Quantile is > 0 and < 1))
        {
            throw new ModelFileException($"model card: input.amplitude_normalisation.quantile {Quantile} must lie in (0, 1).");
        }

        if (TargetMicrovolts is null || TargetMicrovolts.Count != derivations || TargetMicrovolts.Any(t => !(t > 0) || !double.IsFinite(t)))
        {
            throw new ModelFileException($"model card: input.amplitude_normalisation.target_microvolts must hold one positive amplitude per input derivation ({derivations}).");
        }
    }
}
