namespace SleepScoring.Analysis.Conditioning;

/// <summary>Filter settings of study conditioning.</summary>
/// <param name="HighPass">EEG/EOG high-pass edge in Hz (−6 dB, zero phase).</param>
/// <param name="LowPass">EEG/EOG low-pass edge in Hz (−6 dB, zero phase).</param>
/// <param name="EmgHighPass">EMG high-pass edge in Hz, used when the EMG is sampled fast enough to carry it.</param>
/// <param name="Mains">Mains frequency to notch (50 or 60 Hz) at the original rate, or null for none.</param>
public sealed record ConditioningOptions(double HighPass = 0.3, double LowPass = 35, double EmgHighPass = 10, double? Mains = null)
{
    /// <summary>The defaults: 0.3–35 Hz EEG/EOG, 10 Hz EMG high-pass, no notch.</summary>
    public static ConditioningOptions Default { get; } = new();
}
