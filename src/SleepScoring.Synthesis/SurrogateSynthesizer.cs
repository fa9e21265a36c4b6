namespace SleepScoring.Synthesis;

/// <summary>
/// The library entry point of the surrogate generator: a night's feature table in, a 7-channel
/// Sleep-EDF-like recording out. The EEG of each epoch is synthesised from that epoch's measured
/// features only (<see cref="FeatureRow.Stage"/> is never read); unscored epochs get filler
/// features interpolated from their neighbours (<see cref="FeatureFiller"/>).
/// </summary>
public static class SurrogateSynthesizer
{
    /// <summary>Most epochs one call synthesises: 72 h (≈ 100 MB of samples per EEG channel).</summary>
    public const int MaxEpochs = 72 * 120;

    /// <summary>Synthesises <paramref name="epochCount"/> epochs (at least the table's span) for <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The table is empty, reaches beyond <paramref name="epochCount"/>, or the night exceeds <see cref="MaxEpochs"/>.</exception>
    public static SurrogateRecording Synthesize(NightFeatures night, int epochCount, ulong seed, int maxParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(night);
        if (epochCount < night.EpochSpan)
        {
            throw new ArgumentException($"Feature table {night.Name} has epoch {night.EpochSpan - 1} but the night has only {epochCount} epochs.", nameof(epochCount));
        }

        if (epochCount > MaxEpochs)
        {
            throw new ArgumentException($"A night of {epochCount} epochs exceeds the {MaxEpochs} (72 h) the generator makes at once.", nameof(epochCount));
        }

        bool[] scored = new bool[epochCount];
        foreach (FeatureRow row in night.Rows)
        {
            scored[row.Epoch] = true;
        }

        List<SurrogateSignal> signals = [];
        string[] labels = ["EEG Fpz-Cz", "EEG Pz-Oz"];
        for (int channel = 0; channel < labels.Length; channel++)
        {
            float[] eeg = NightSynthesizer.Synthesize(FeatureFiller.Fill(night, channel, epochCount), seed, channel, maxParallelism);
            signals.Add(new(labels[channel], "Ag-AgCl electrodes", "uV", "HP:0.5Hz LP:100Hz [enhanced cassette BW]", 100, eeg));
        }

        signals.AddRange(AuxiliaryChannels.Generate(epochCount, seed));
        return new SurrogateRecording(night.Name, epochCount, signals, scored);
    }
}
